import { describe, expect, it } from "vitest";
import { apiRequest, sessionCookie, useTestDatabase } from "@/lib/server/test-harness";
import { readStudyCases } from "@/lib/server/study-cases";
import { GET } from "./route";

useTestDatabase();

describe("GET /api/tso/study/cases", () => {
  it("gives the TSO the study's four MATPOWER cases and nobody else", async () => {
    const res = await GET(apiRequest("GET", "/api/tso/study/cases", { cookie: await sessionCookie("tso") }));
    expect(res.status).toBe(200);
    const { cases } = (await res.json()) as { cases: Record<string, string> };
    expect(Object.keys(cases).sort()).toEqual(["case10ba", "case118zh", "case33mg", "transmission"]);
    expect(cases.transmission).toMatch(/function mpc = case30/);
    for (const who of ["dso-bergwald", "agg-heatflex"]) {
      const denied = await GET(apiRequest("GET", "/api/tso/study/cases", { cookie: await sessionCookie(who) }));
      expect(denied.status).toBe(403);
    }
  });

  it("names the missing case and where it looked when the cases are not installed", async () => {
    await expect(readStudyCases({ FLEX_SHARED_DIR: "/nonexistent" })).rejects.toThrow(
      "the study's MATPOWER case case30.m is not installed on this server (looked in /nonexistent/cases/matpower; set FLEX_SHARED_DIR)",
    );
  });
});
