import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect, test } from "@playwright/test";
import { DEFAULT_LIGHT_MODEL_OPTIONS } from "@/solver-worker/protocol";
import { runSensitivities } from "@/solver-worker/sensitivities";
import { Api, counts, fileForm, hasBuild, query, ROOT, startServer, tempPostgres, tempSqlite, type Db } from "@/lib/testing/servers";

// Kill tests: a real `next start` process is SIGKILLed in the middle of a write — inside its
// transaction, held there by the test-only hook FLEXPLAT_TEST_PAUSE_AT (lib/server/test-pause.ts,
// enabled by FLEXPLAT_TEST_HOOKS=1) — and the database, reopened, holds no partial rows;
// a new server on it then does the same write in full. On SQLite always; on PostgreSQL too
// when FLEXPLAT_E2E_PG_URL names a server (scripts/test.sh runs this under
// scripts/with-postgres.sh). The servers are the spec's own, on free ports.

const PG = process.env.FLEXPLAT_E2E_PG_URL;
const CASE33 = join(ROOT, "..", "shared", "cases", "matpower", "case33bw.m");

test.describe.configure({ mode: "serial", timeout: 240_000 });
test.skip(!hasBuild(), "no production build in .next/ (npm run build; npm test builds first)");

const kinds: ("sqlite" | "postgresql")[] = PG ? ["sqlite", "postgresql"] : ["sqlite"];

async function freshDb(kind: "sqlite" | "postgresql", name: string): Promise<Db> {
  return kind === "sqlite" ? tempSqlite() : tempPostgres(PG!, `flexplat_e2e_${name.replace(/\W/g, "_")}`);
}

function cleanup(db: Db) {
  if (db.kind === "sqlite") rmSync(dirname(db.path), { recursive: true, force: true });
}

/**
 * On a plain server: `prepare` (seeds the database on first start, signs in, makes what the
 * write needs). Then on a server that pauses at `point`: `write` (not awaited), and SIGKILL
 * once it is paused there. The sessions live in the database, so they carry over.
 */
async function killDuring<T>(db: Db, point: string, prepare: (url: string) => Promise<T>, write: (url: string, prepared: T) => Promise<unknown>): Promise<T> {
  const plain = await startServer(db);
  let prepared: T;
  try {
    prepared = await prepare(plain.url);
  } finally {
    await plain.kill();
  }
  const server = await startServer(db, { FLEXPLAT_TEST_HOOKS: "1", FLEXPLAT_TEST_PAUSE_AT: point, FLEXPLAT_TEST_PAUSE_MS: "20000" });
  try {
    const pending = write(server.url, prepared).catch((e: Error) => e); // the connection dies with the server
    await server.waitForOutput(new RegExp(`FLEXPLAT_TEST_PAUSE_AT ${point}`));
    await server.kill("SIGKILL");
    expect(server.child.signalCode).toBe("SIGKILL");
    await pending;
  } finally {
    await server.kill("SIGKILL");
  }
  return prepared;
}

/** The database after the kill: sound, and every foreign key pointing at a row. */
async function expectSound(db: Db) {
  if (db.kind === "sqlite") {
    expect(await query(db, "PRAGMA integrity_check")).toEqual([{ integrity_check: "ok" }]);
    expect(await query(db, "PRAGMA foreign_key_check")).toEqual([]);
  }
  // Published grids and published light models agree (the publish writes both or neither).
  const mismatched = await query(db, `SELECT g."id" FROM "Grid" g WHERE (g."publishedName" IS NOT NULL) <> EXISTS (SELECT 1 FROM "LightModel" m WHERE m."gridId" = g."id" AND m."published" = true)`);
  expect(mismatched).toEqual([]);
  // Every stored portfolio has its bids, every bid its assets.
  expect(await query(db, `SELECT p."id" FROM "BidPortfolio" p WHERE p."version" = 2 AND NOT EXISTS (SELECT 1 FROM "PortfolioBid" b WHERE b."portfolioId" = p."id")`)).toEqual([]);
  expect(await query(db, `SELECT b."id" FROM "PortfolioBid" b WHERE NOT EXISTS (SELECT 1 FROM "AssetBid" a WHERE a."bidId" = b."id")`)).toEqual([]);
}

for (const kind of kinds) {
  test.describe(`a server killed in the middle of a write (${kind})`, () => {
    test("portfolio upload: nothing of the portfolio is stored; the upload succeeds after a restart", async () => {
      const db = await freshDb(kind, "kill_upload");
      const tables = ["BidPortfolio", "PortfolioBid", "AssetBid"];
      const { csv, before } = await killDuring(
        db,
        "portfolio-upload",
        async (url) => {
          const agg = await Api.signIn(url, "agg-evfleet");
          // Free the aggregator's units (its demo portfolio), then take the example over them.
          for (const p of (await agg.json<{ portfolios: { id: string }[] }>("/api/portfolios")).portfolios) {
            expect((await agg.fetch(`/api/portfolios/${p.id}`, { method: "DELETE" })).status).toBe(204);
          }
          return { agg, csv: await (await agg.fetch("/api/portfolios/template")).text(), before: await counts(db, tables) };
        },
        (url, { agg, csv }) => agg.on(url).fetch("/api/portfolios", { method: "POST", body: fileForm("file", "kill.csv", csv, "text/csv") }),
      );
      expect(await counts(db, tables)).toEqual(before);
      await expectSound(db);

      const server = await startServer(db);
      try {
        const agg = await Api.signIn(server.url, "agg-evfleet");
        const res = await agg.fetch("/api/portfolios", { method: "POST", body: fileForm("file", "kill.csv", csv, "text/csv") });
        expect(res.status, await res.clone().text()).toBe(201);
        const after = await counts(db, tables);
        expect(after.BidPortfolio).toBe(before.BidPortfolio + 1);
        expect(after.AssetBid).toBeGreaterThan(before.AssetBid);
      } finally {
        await server.kill();
      }
      await expectSound(db);
      cleanup(db);
    });

    test("light-model publish: the grid is neither published nor its model; publishing succeeds after a restart", async () => {
      const db = await freshDb(kind, "kill_publish");
      const { gridId, modelId } = await killDuring(
        db,
        "light-model-publish",
        async (url) => {
          const dso = await Api.signIn(url, "dso-bergwald");
          const form = fileForm("file", "case33bw.m", readFileSync(CASE33, "utf8"));
          form.set("name", "Kill-test feeder");
          const gridId = (await dso.json<{ grid: { id: string } }>("/api/grids", { method: "POST", body: form }, 201)).grid.id;
          const network = await (await dso.fetch(`/api/grids/${gridId}/network`)).text();
          const computed = runSensitivities({ network, options: DEFAULT_LIGHT_MODEL_OPTIONS }, () => {}).lightModel!;
          const body = `{"lightModel":${computed.json},"key":${computed.keyJson},"publish":false}`;
          const modelId = (await dso.json<{ lightModel: { id: string } }>(`/api/grids/${gridId}/light-models`, { method: "POST", headers: { "content-type": "application/json" }, body }, 201))
            .lightModel.id;
          return { dso, gridId, modelId };
        },
        (url, { dso, gridId, modelId }) => dso.on(url).fetch(`/api/grids/${gridId}/light-models/${modelId}/publish`, { method: "POST" }),
      );
      expect(await query(db, `SELECT "publishedName" FROM "Grid" WHERE "id" = '${gridId}'`)).toEqual([{ publishedName: null }]);
      const published = await query<{ published: unknown }>(db, `SELECT "published" FROM "LightModel" WHERE "id" = '${modelId}'`);
      expect(published.map((r) => Boolean(r.published))).toEqual([false]);
      await expectSound(db);

      const server = await startServer(db);
      try {
        const dso = await Api.signIn(server.url, "dso-bergwald");
        expect((await dso.fetch(`/api/grids/${gridId}/light-models/${modelId}/publish`, { method: "POST" })).status).toBe(200);
      } finally {
        await server.kill();
      }
      expect(await query(db, `SELECT "publishedName" FROM "Grid" WHERE "id" = '${gridId}'`)).toEqual([{ publishedName: "kill-test feeder" }]);
      await expectSound(db);
      cleanup(db);
    });

    test("BCM run: no run is stored; the run succeeds after a restart", async () => {
      const db = await freshDb(kind, "kill_bcm");
      const { before } = await killDuring(
        db,
        "bcm-run",
        async (url) => ({ agg: await Api.signIn(url, "agg-solarpool"), before: await counts(db, ["ClearingRun"]) }),
        (url, { agg }) => agg.on(url).fetch("/api/bcm/run", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ requestMw: 1.8 }) }),
      );
      expect(await counts(db, ["ClearingRun"])).toEqual(before);
      await expectSound(db);

      const server = await startServer(db);
      try {
        const agg = await Api.signIn(server.url, "agg-solarpool");
        await agg.postJson("/api/bcm/run", { requestMw: 1.8 }, 201);
      } finally {
        await server.kill();
      }
      expect((await counts(db, ["ClearingRun"])).ClearingRun).toBe(before.ClearingRun + 1);
      await expectSound(db);
      cleanup(db);
    });
  });
}
