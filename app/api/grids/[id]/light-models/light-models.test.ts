import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/server/db";
import { DEMO_GRIDS } from "@/lib/server/demo-data";
import { publishedLightModels } from "@/lib/server/market";
import { apiRequest, routeContext, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import type { LightModel, LightModelKey } from "@/lib/sensitivity/light-model";
import { DEFAULT_LIGHT_MODEL_OPTIONS } from "@/solver-worker/protocol";
import { runSensitivities } from "@/solver-worker/sensitivities";
import * as demoModeRoute from "../demo-mode/route";
import * as modelRoute from "./[lightModelId]/route";
import * as publishRoute from "./[lightModelId]/publish/route";
import * as listRoute from "./route";

useTestDatabase();

let owner: string;
let otherDso: string;
let tso: string;
let aggregator: string;
let gridId: string;
let computed: { json: string; keyJson: string; modelId: string };

beforeAll(async () => {
  [owner, otherDso, tso, aggregator] = await Promise.all(["dso-bergwald", "dso-rheintal", "tso", "agg-storage"].map(sessionCookie));
  const grid = await (await getPrisma()).grid.findFirstOrThrow({ where: { name: DEMO_GRIDS[0].name } });
  gridId = grid.id;
  const r = runSensitivities(
    {
      network: grid.networkJson,
      options: { ...DEFAULT_LIGHT_MODEL_OPTIONS, custom: [{ fraction: 0.75 }] },
    },
    () => {},
  );
  computed = r.lightModel!;
});

const json = (body: unknown) => ({ body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } });
const post = (cookie: string | undefined, body: unknown) => listRoute.POST(apiRequest("POST", `/api/grids/${gridId}/light-models`, { cookie, ...json(body) }), routeContext({ id: gridId }));
const upload = (publish: boolean, over: { lightModel?: unknown; key?: unknown } = {}) =>
  `{"lightModel":${over.lightModel === undefined ? computed.json : JSON.stringify(over.lightModel)},"key":${over.key === undefined ? computed.keyJson : JSON.stringify(over.key)},"publish":${publish}}`;

async function rows() {
  return (await getPrisma()).lightModel.findMany({ where: { gridId }, select: { id: true, published: true }, orderBy: { createdAt: "asc" } });
}

describe("DSO light-model routes", () => {
  it("answer 401 without a session and 403 to the TSO, aggregators and another DSO, storing nothing", async () => {
    const before = await rows();
    const lmId = before[0].id;
    const calls = (cookie: string | undefined) => [
      () => listRoute.GET(apiRequest("GET", "/", { cookie }), routeContext({ id: gridId })),
      () => post(cookie, upload(true)),
      () => modelRoute.GET(apiRequest("GET", "/", { cookie }), routeContext({ id: gridId, lightModelId: lmId })),
      () => publishRoute.POST(apiRequest("POST", "/", { cookie }), routeContext({ id: gridId, lightModelId: lmId })),
      () => demoModeRoute.GET(apiRequest("GET", "/", { cookie }), routeContext({ id: gridId })),
      () => demoModeRoute.PUT(apiRequest("PUT", "/", { cookie, ...json({ demoMode: false }) }), routeContext({ id: gridId })),
    ];
    for (const call of calls(undefined)) expect((await call()).status).toBe(401);
    for (const cookie of [tso, aggregator, otherDso]) {
      for (const call of calls(cookie)) {
        const res = await call();
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: string }).error).toMatch(cookie === otherDso ? /belongs to another operator/ : /needs the DSO role/);
      }
    }
    expect(await rows()).toEqual(before);
    expect((await (await getPrisma()).grid.findUniqueOrThrow({ where: { id: gridId } })).demoMode).toBe(true);
  });

  it("publishes a light model computed by the worker: stored, the only published one, and exactly what the TSO reads", async () => {
    const before = await rows();
    const res = await post(owner, upload(true));
    expect(res.status).toBe(201);
    const { lightModel } = (await res.json()) as { lightModel: { id: string; published: boolean; operatingPoints: number; reactive: boolean; sizeBytes: number } };
    expect(lightModel).toMatchObject({ published: true, operatingPoints: 4, reactive: true, sizeBytes: Buffer.byteLength(computed.json) });
    const after = await rows();
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((r) => r.published).map((r) => r.id)).toEqual([lightModel.id]);
    const tsoView = (await publishedLightModels(await getPrisma())).find((m) => m.gridId === gridId)!;
    expect(tsoView.id).toBe(lightModel.id);
    expect(JSON.stringify(tsoView.model)).toBe(computed.json);

    const list = (await (await listRoute.GET(apiRequest("GET", "/", { cookie: owner }), routeContext({ id: gridId }))).json()) as { lightModels: { id: string; published: boolean }[] };
    expect(list.lightModels[0]).toMatchObject({ id: lightModel.id, published: true });
    expect(list.lightModels.filter((m) => m.published)).toHaveLength(1);

    const download = await modelRoute.GET(apiRequest("GET", "/", { cookie: owner }), routeContext({ id: gridId, lightModelId: lightModel.id }));
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="light-model-${lightModel.id}.json"`);
    expect(await download.text()).toBe(computed.json);
  });

  it("stores without publishing, and publishes an older version on request", async () => {
    const res = await post(owner, upload(false));
    expect(res.status).toBe(201);
    const stored = ((await res.json()) as { lightModel: { id: string; published: boolean } }).lightModel;
    expect(stored.published).toBe(false);
    const oldest = (await rows())[0];
    const pub = await publishRoute.POST(apiRequest("POST", "/", { cookie: owner }), routeContext({ id: gridId, lightModelId: oldest.id }));
    expect(pub.status).toBe(200);
    expect((await rows()).filter((r) => r.published).map((r) => r.id)).toEqual([oldest.id]);
    const missing = await publishRoute.POST(apiRequest("POST", "/", { cookie: owner }), routeContext({ id: gridId, lightModelId: "nope" }));
    expect(missing.status).toBe(404);
  });

  const lm = () => JSON.parse(computed.json) as LightModel;
  const key = () => JSON.parse(computed.keyJson) as LightModelKey;
  const refused: [string, () => string, RegExp][] = [
    ["a field beyond the schema", () => upload(true, { lightModel: { ...lm(), busNumbers: [1, 2] } }), /^light model: Unrecognized key: "busNumbers"/],
    [
      "a matrix of the wrong shape",
      () => upload(true, { lightModel: { ...lm(), operatingPoints: lm().operatingPoints.map((o, k) => (k === 1 ? { ...o, vtdf: { ...o.vtdf, rows: 3 } } : o)) } }),
      /^light model\.operatingPoints\[1\]\.vtdf: 3x\d+, expected \d+x\d+/,
    ],
    ["a key of another model", () => upload(true, { key: { ...key(), modelId: "lm-000000000000" } }), /^the key belongs to light model lm-000000000000/],
    [
      "a key with a reordered location",
      () => upload(true, { key: { ...key(), locations: [key().locations[1], key().locations[0], ...key().locations.slice(2)] } }),
      /^key\.locations\[0\]: id '.+' where the light model has/,
    ],
    [
      "a key naming a bus the grid lacks",
      () => upload(true, { key: { ...key(), buses: key().buses.map((b, k) => (k === 2 ? { ...b, bus: 987654 } : b)) } }),
      /^key\.buses\[2\]: bus 987654 is not in this grid/,
    ],
    ["a key with an extra field", () => upload(true, { key: { ...key(), network: {} } }), /^key: Unrecognized key: "network"/],
    ["no publish flag", () => `{"lightModel":${computed.json},"key":${computed.keyJson}}`, /^publish: /],
    ["a body that is not JSON", () => "{", /^the request body is not valid JSON/],
  ];
  for (const [what, body, message] of refused) {
    it(`refuses ${what} with a message naming it, and stores nothing`, async () => {
      const before = await rows();
      const res = await post(owner, body());
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
      expect(await rows()).toEqual(before);
    });
  }

  it("switches demo mode for the owner", async () => {
    const put = (demoMode: unknown) => demoModeRoute.PUT(apiRequest("PUT", "/", { cookie: owner, ...json({ demoMode }) }), routeContext({ id: gridId }));
    expect(await (await put(false)).json()).toEqual({ demoMode: false });
    expect(await (await demoModeRoute.GET(apiRequest("GET", "/", { cookie: owner }), routeContext({ id: gridId }))).json()).toEqual({ demoMode: false });
    const bad = await put("yes");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^demoMode: /);
    expect(await (await put(true)).json()).toEqual({ demoMode: true });
  });
});
