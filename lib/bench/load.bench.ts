import { readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import autocannon from "autocannon";
import { Api, hasBuild, startServer, tempPostgres, tempSqlite, type Db } from "../testing/servers";
import { sharedPath } from "./shared";
import type { Benchmark } from "./types";

/**
 * Load: 50 concurrent signed-in clients against a production server (`next start`, demo
 * mode, a temporary database; 127.0.0.1 only) for a bounded time, each kind of request its
 * own autocannon instance, all at once — reads (who am I, the DSO's grid list, a grid's
 * light-model list), small grid uploads (case9) and BCM runs (the heavy kind). Reports
 * p50/p95 latency and errors (non-2xx, socket errors, timeouts) per kind. Goal: no errors,
 * reads' p95 under 500 ms while the heavy runs go on. SQLite; PostgreSQL too with
 * FLEXPLAT_BENCH_PG_URL (an admin URL; a database is created on it).
 * Sessions: one per account, shared by that account's connections (each connection is
 * its own keep-alive client).
 */

const DURATION_S = Number(process.env.FLEXPLAT_LOAD_SECONDS ?? 30);

interface Kind {
  name: string;
  connections: number;
  read: boolean;
  request: (api: Api) => autocannon.Request;
  account: string;
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function multipart(fields: Record<string, [fileName: string | null, text: string]>): { body: string; type: string } {
  const boundary = `----flexplat-load-${Math.random().toString(16).slice(2)}`;
  let body = "";
  for (const [name, [fileName, text]] of Object.entries(fields)) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${fileName ? `; filename="${fileName}"\r\nContent-Type: text/plain` : ""}\r\n\r\n${text}\r\n`;
  }
  return { body: `${body}--${boundary}--\r\n`, type: `multipart/form-data; boundary=${boundary}` };
}

async function runOn(db: Db, label: string, log: (line: string) => void): Promise<Record<string, number>> {
  const server = await startServer(db);
  const out: Record<string, number> = {};
  try {
    const dso = await Api.signIn(server.url, "dso-bergwald");
    const sessions: Record<string, Api> = { "dso-bergwald": dso };
    for (const u of ["tso", "agg-solarpool", "agg-evfleet", "agg-heatflex", "agg-storage"]) sessions[u] = await Api.signIn(server.url, u);
    const gridId = (await dso.json<{ grids: { id: string }[] }>("/api/grids")).grids[0].id;
    const upload = multipart({ file: ["case9.m", readFileSync(sharedPath("cases/matpower/case9.m"), "utf8")], name: [null, "Load-test case9"] });
    const aggs = ["agg-solarpool", "agg-evfleet", "agg-heatflex", "agg-storage"];
    const kinds: Kind[] = [
      { name: "read: GET /api/auth/me", connections: 15, read: true, account: "tso", request: () => ({ method: "GET", path: "/api/auth/me" }) },
      { name: "read: GET /api/grids", connections: 10, read: true, account: "dso-bergwald", request: () => ({ method: "GET", path: "/api/grids" }) },
      { name: "read: GET light-model list", connections: 10, read: true, account: "dso-bergwald", request: () => ({ method: "GET", path: `/api/grids/${gridId}/light-models` }) },
      {
        name: "upload: POST /api/grids (case9)",
        connections: 10,
        read: false,
        account: "dso-bergwald",
        request: () => ({ method: "POST", path: "/api/grids", headers: { "content-type": upload.type }, body: upload.body }),
      },
    ];
    // The BCM's connections are spread over the four aggregators.
    for (const [k, agg] of aggs.entries()) {
      kinds.push({
        name: `bcm: POST /api/bcm/run (${agg})`,
        connections: k === 0 ? 2 : 1,
        read: false,
        account: agg,
        request: () => ({ method: "POST", path: "/api/bcm/run", headers: { "content-type": "application/json" }, body: JSON.stringify({ requestMw: 1.8 }) }),
      });
    }
    const measure = async (phase: string, kinds: Kind[], seconds: number) => {
      const total = kinds.reduce((s, k) => s + k.connections, 0);
      log(`  ${label}, ${phase}: ${total} concurrent clients for ${seconds} s against next start on 127.0.0.1`);
      const results = await Promise.all(
        kinds.map(
          (k) =>
            new Promise<{ kind: Kind; latencies: number[]; errors: number; sent: number; non2xx: Map<number, number>; errorTypes: Map<string, number> }>((resolve, reject) => {
              const api = sessions[k.account];
              const latencies: number[] = [];
              const non2xx = new Map<number, number>();
              const errorTypes = new Map<string, number>();
              const req = k.request(api);
              const instance = autocannon(
                {
                  url: server.url,
                  connections: k.connections,
                  duration: seconds,
                  timeout: 60,
                  headers: { cookie: api.cookie, origin: server.url, ...(req.headers ?? {}) },
                  method: req.method,
                  body: req.body as string | undefined,
                  requests: [{ method: req.method, path: req.path }],
                },
                (err, r) => (err ? reject(err) : resolve({ kind: k, latencies, errors: r.errors + r.timeouts, sent: r.requests.sent, non2xx, errorTypes })),
              );
              instance.on("reqError", (e: Error & { code?: string }) => errorTypes.set(e.code ?? e.message, (errorTypes.get(e.code ?? e.message) ?? 0) + 1));
              instance.on("response", (_c: unknown, status: number, _bytes: number, ms: number) => {
                latencies.push(ms);
                if (status < 200 || status >= 300) non2xx.set(status, (non2xx.get(status) ?? 0) + 1);
              });
            }),
        ),
      );
      const merged = new Map<string, { latencies: number[]; errors: number; non2xx: Map<number, number>; read: boolean; errorTypes: Map<string, number>; sent: number }>();
      for (const r of results) {
        const key = r.kind.name.replace(/ \(agg-[a-z]+\)$/, "");
        const m = merged.get(key) ?? { latencies: [] as number[], errors: 0, non2xx: new Map<number, number>(), read: r.kind.read, errorTypes: new Map<string, number>(), sent: 0 };
        m.latencies.push(...r.latencies);
        m.errors += r.errors;
        m.sent += r.sent;
        for (const [s, n] of r.non2xx) m.non2xx.set(s, (m.non2xx.get(s) ?? 0) + n);
        for (const [t, n] of r.errorTypes) m.errorTypes.set(t, (m.errorTypes.get(t) ?? 0) + n);
        merged.set(key, m);
      }
      let readsP95 = 0;
      let errors = 0;
      for (const [name, m] of merged) {
        const sorted = [...m.latencies].sort((a, b) => a - b);
        const p50 = quantile(sorted, 0.5);
        const p95 = quantile(sorted, 0.95);
        const bad = [...m.non2xx.values()].reduce((s, n) => s + n, 0) + m.errors;
        errors += bad;
        if (m.read) readsP95 = Math.max(readsP95, p95);
        const why = [...[...m.non2xx].map(([s, n]) => `${n}× HTTP ${s}`), ...[...m.errorTypes].map(([t, n]) => `${n}× ${t}`)].join(", ");
        log(
          `    ${name.padEnd(36)} ${String(sorted.length).padStart(6)} answered  p50 ${p50.toFixed(0).padStart(5)} ms  p95 ${p95.toFixed(0).padStart(5)} ms  max ${sorted.at(-1)?.toFixed(0) ?? "-"} ms  errors ${bad}${why ? ` (${why})` : ""}  unanswered at the end ${Math.max(0, m.sent - sorted.length - m.errors)}`,
        );
        const slug =
          name.split(":")[0] +
          "_" +
          name
            .replace(/[^a-z0-9]+/gi, "_")
            .toLowerCase()
            .slice(0, 30);
        out[`${label}_${phase}_${slug}_p50Ms`] = p50;
        out[`${label}_${phase}_${slug}_p95Ms`] = p95;
        out[`${label}_${phase}_${slug}_errors`] = bad;
      }
      if (phase === "mixed")
        log(`    goal (no errors, reads' p95 < 500 ms while BCM runs go on): ${errors === 0 && readsP95 < 500 ? "met" : "MISSED"} — ${errors} errors, worst read p95 ${readsP95.toFixed(0)} ms`);
      out[`${label}_${phase}_errors`] = errors;
      out[`${label}_${phase}_readsP95Ms`] = readsP95;
    };
    // Reads alone first (the baseline), then everything at once.
    await measure(
      "reads alone",
      kinds.filter((k) => k.read).map((k) => ({ ...k, connections: Math.round((k.connections * 50) / 35) })),
      8,
    );
    await measure("mixed", kinds, DURATION_S);
  } finally {
    await server.kill();
  }
  return out;
}

export const loadBench: Benchmark = {
  name: "load: 50 signed-in clients (reads, uploads, BCM runs) against next start",
  needsShared: true,
  async run(log) {
    if (!hasBuild()) {
      log("  skipped: no production build in .next/ (run `npm run build` first)");
      return {};
    }
    const sqlite = tempSqlite();
    try {
      const out = await runOn(sqlite, "sqlite", log);
      const pg = process.env.FLEXPLAT_BENCH_PG_URL;
      if (pg) Object.assign(out, await runOn(await tempPostgres(pg, "flexplat_load_bench"), "postgresql", log));
      else log("  (PostgreSQL: set FLEXPLAT_BENCH_PG_URL, e.g. `bash scripts/with-postgres.sh sh -c 'FLEXPLAT_BENCH_PG_URL=$DATABASE_URL npm run bench load'`)");
      return out;
    } finally {
      if (sqlite.kind === "sqlite") rmSync(dirname(sqlite.path), { recursive: true, force: true });
    }
  },
};
