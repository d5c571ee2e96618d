import { join } from "node:path";
import { expect, request, test, type Page } from "@playwright/test";
import { apiAs, DEMO_PASSWORD, signInWithForm } from "./support/accounts";
import { DsoPage } from "./support/dso-page";

const ARTIFACTS = join(process.cwd(), "e2e-artifacts");

/**
 * Collect what the Content-Security-Policy blocked on a page (the document's
 * securitypolicyviolation events, Chromium's "Refused to …" console errors) and page errors.
 */
async function watchPolicy(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on("console", (m) => {
    if (m.type() === "error" && /Content.Security.Policy|CSP violation|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

test.describe("security headers and the Content-Security-Policy in the browser", () => {
  test("pages carry a per-request nonce CSP; the DSO's map (MapLibre and its worker, deck.gl) and power flow (solver worker, Plotly) run without a violation", async ({ page }) => {
    test.setTimeout(150_000);
    const problems = await watchPolicy(page);

    const signin = await page.goto("/signin");
    const csp = signin!.headers()["content-security-policy"];
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{22,}' 'strict-dynamic' 'wasm-unsafe-eval';/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(signin!.headers()).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin" });
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    // Next put the nonce on its scripts (the attribute is hidden from the DOM; the property keeps it).
    const scriptNonces = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    expect(scriptNonces.length).toBeGreaterThan(0);
    expect(scriptNonces.every((n) => n === nonce)).toBe(true);
    const again = await page.request.get("/signin");
    expect(again.headers()["content-security-policy"]).not.toContain(nonce);

    // DSO: the district map (MapLibre with its worker, deck.gl) and the power flow in the solver worker.
    await signInWithForm(page, "dso-bergwald");
    await expect(page).toHaveURL(/\/dso/);
    const map = page.getByTestId("dso-grid-map");
    await expect(map).toHaveAttribute("data-map-state", "ready", { timeout: 45_000 });
    await expect(page.getByTestId("map-flow-summary")).toContainText("Base case: converged", { timeout: 60_000 });
    await new DsoPage(page).runPowerFlow();
    await expect(page.getByTestId("voltage-plot")).toBeVisible();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(ARTIFACTS, "security-dso.png") });

    expect(problems, problems.join("\n")).toEqual([]);
  });

  test("the TSO clearing (HiGHS WebAssembly in the worker) and the activity page run without a violation", async ({ page }) => {
    test.setTimeout(150_000);
    const problems = await watchPolicy(page);
    // TSO: a clearing with HiGHS (WebAssembly) in the worker.
    await signInWithForm(page, "tso");
    await page.goto("/tso");
    await expect(page.getByTestId("tso-bid-summary")).toBeVisible({ timeout: 30_000 });
    await page.getByTestId("tso-request").fill("1.8");
    await page.getByTestId("tso-run").click();
    await expect(page.getByTestId("clearing-status")).toHaveAttribute("data-status", "optimal", { timeout: 90_000 });
    await expect(page.getByTestId("tso-run")).toBeEnabled({ timeout: 90_000 });

    await page.goto("/audit");
    await expect(page.getByTestId("audit-row").first()).toBeVisible();
    expect(problems, problems.join("\n")).toEqual([]);
  });

  test("API responses: deny-all CSP, nosniff, the request id echoed", async ({ baseURL }) => {
    const api = await request.newContext({ baseURL });
    const res = await api.get("/api/auth/me", { headers: { "x-request-id": "e2e-req-1" } });
    expect(res.status()).toBe(401);
    expect(res.headers()).toMatchObject({
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "x-request-id": "e2e-req-1",
    });
    const wasm = await api.get("/highs.wasm");
    expect(wasm.headers()["x-content-type-options"]).toBe("nosniff");
  });
});

test.describe("sign-in abuse and sessions", () => {
  test("a name guessed at backs off with 429 and Retry-After; the form says so", async ({ page, baseURL }) => {
    const api = await request.newContext({ baseURL });
    for (let i = 0; i < 3; i++) expect((await api.post("/api/auth/signin", { data: { username: "e2e-nobody", password: "guess" } })).status()).toBe(401);
    const throttled = await api.post("/api/auth/signin", { data: { username: "e2e-nobody", password: "guess" } });
    expect(throttled.status()).toBe(429);
    expect(Number(throttled.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    await page.goto("/signin");
    await page.getByLabel("User name").fill("e2e-nobody");
    await page.getByLabel("Password", { exact: true }).fill("guess");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("signin-error")).toContainText(/too many failed sign-ins; wait \d+ s and try again|unknown user name or wrong password/);
  });

  test("sign out everywhere from the account page ends the other browser's session too", async ({ page, baseURL }) => {
    const other = await apiAs(baseURL!, "agg-heatflex");
    expect((await other.get("/api/auth/me")).status()).toBe(200);
    await signInWithForm(page, "agg-heatflex");
    await page.getByTestId("current-user").click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByTestId("sessions")).toContainText("30 minutes without use");
    await page.screenshot({ path: join(ARTIFACTS, "security-account.png"), fullPage: true });
    await page.getByTestId("sign-out-everywhere").click();
    await expect(page).toHaveURL(/\/signin$/);
    expect((await page.request.get("/api/auth/me")).status()).toBe(401);
    expect((await other.get("/api/auth/me")).status()).toBe(401);
    // Signing in again works, and the activity page shows the story.
    await signInWithForm(page, "agg-heatflex", DEMO_PASSWORD);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Activity" }).click();
    await expect(page).toHaveURL(/\/audit$/);
    const rows = page.getByTestId("audit-row");
    await expect(rows.filter({ hasText: "auth.signout_all" })).toHaveCount(1);
    await expect(rows.filter({ hasText: "auth.signin" }).first()).toBeVisible();
    // Only its own: no grid uploads or other operators' sign-ins.
    await expect(rows.filter({ hasText: "dso-bergwald" })).toHaveCount(0);
    await page.screenshot({ path: join(ARTIFACTS, "security-activity-aggregator.png"), fullPage: true });
    const csv = await page.request.get("/api/audit.csv");
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect((await csv.text()).split("\r\n")[0]).toBe("at,username,role,action,objectType,objectId,ownerId,outcome,requestId,detail");
  });

  test("the administrator's activity page lists every operator's events", async ({ page }) => {
    await signInWithForm(page, "admin");
    await page.goto("/audit");
    const rows = page.getByTestId("audit-row");
    await expect(rows.first()).toBeVisible();
    await expect(rows.filter({ hasText: "e2e-nobody" }).first()).toBeVisible();
    await page.screenshot({ path: join(ARTIFACTS, "security-activity-admin.png"), fullPage: true });
  });
});
