import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, signInWithForm, signOut } from "./support/accounts";

// Deployment and request safety (issue 19), as a visitor, an attacker's page and the
// platform's administrator meet it in a real browser. This server runs in demo mode.

test.describe("signing in safely", () => {
  test("the demo accounts are listed only because this server runs in demo mode", async ({ page }) => {
    await page.goto("/signin");
    await expect(page.getByTestId("demo-accounts")).toContainText("This platform runs in demo mode");
    await expect(page.getByTestId("demo-accounts").locator("tbody tr")).toHaveCount(8);
    await expect(page.getByTestId("no-accounts-yet")).toHaveCount(0);
  });

  test("a next= that browsers would turn into another site is ignored: /signin?next=/%09/evil.example/phish lands on the TSO's page", async ({ page, baseURL }) => {
    await page.goto("/signin?next=/%09/evil.example/phish");
    await page.getByLabel("User name").fill("tso");
    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${baseURL}/tso`);
    // A same-site path is still followed.
    await signOut(page);
    await page.goto("/signin?next=%2Fbcm");
    await page.getByLabel("User name").fill("dso-bergwald");
    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${baseURL}/bcm`);
  });

  test("a form on another site cannot sign a visitor in (login CSRF with text/plain)", async ({ page, baseURL }) => {
    const field = JSON.stringify({ username: "tso", password: DEMO_PASSWORD, x: "" }).slice(0, -2);
    await page.route("http://evil.example/**", (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<form method="POST" action="${baseURL}/api/auth/signin" enctype="text/plain"><input name='${field}' value='"}'></form><script>document.forms[0].submit()</script>`,
      }),
    );
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/api/auth/signin")), page.goto("http://evil.example/win-a-prize")]);
    expect(response.status()).toBe(403);
    expect(await response.json()).toEqual({ error: "requests from other sites are refused; use FlexPlat's own pages", code: "forbidden" });
    expect(response.headers()["set-cookie"]).toBeUndefined();
    expect((await page.request.get(`${baseURL}/api/auth/me`)).status()).toBe(401);
  });

  test("a malformed session cookie reads as signed out on pages and the API, never as an error", async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: "flexplat_session", value: "%E0%A4%A", url: baseURL! }]);
    const home = await page.goto("/");
    expect(home?.status()).toBe(200);
    await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
    const me = await page.request.get("/api/auth/me");
    expect(me.status()).toBe(401);
    expect(await me.json()).toEqual({ error: "sign in first", code: "unauthorized" });
    await page.goto("/dso");
    await expect(page).toHaveURL(/\/signin\?next=%2Fdso$/);
  });
});

test.describe("accounts", () => {
  test("the administrator creates an operator's account; the operator signs in with it and changes the password", async ({ page, browser }) => {
    await signInWithForm(page, "admin");
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Home", "Accounts", "Activity"]);
    const form = page.getByTestId("create-account");
    await form.getByLabel("User name").fill("agg-newco");
    await form.getByLabel("Operator").fill("NewCo Flex");
    await form.getByLabel("Role").selectOption("AGGREGATOR");
    await form.getByRole("button", { name: "Create with a generated password" }).click();
    await expect(page.getByTestId("issued-password")).toContainText("agg-newco");
    const issued = (await page.getByTestId("issued-password-value").textContent())!;
    expect(issued).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await expect(page.getByTestId("accounts").locator('[data-username="agg-newco"]')).toContainText("Aggregator");
    // The administrator sees accounts, not the market or the grids.
    expect((await page.request.get("/api/tso/bids")).status()).toBe(403);
    expect((await page.request.get("/api/grids")).status()).toBe(403);

    const operator = await browser.newPage();
    await signInWithForm(operator, "agg-newco", issued);
    await expect(operator).toHaveURL(/\/bcm$/);
    await operator.getByTestId("current-user").click();
    await expect(operator).toHaveURL(/\/account$/);
    const change = operator.getByTestId("change-password");
    await change.getByLabel("Current password").fill(issued);
    await change.getByLabel("New password", { exact: true }).fill("short");
    await change.getByLabel("New password again").fill("short");
    await change.getByRole("button", { name: "Change password" }).click();
    await expect(operator.getByTestId("change-password-message")).toHaveText("a password needs at least 10 characters");
    await change.getByLabel("New password", { exact: true }).fill("a long passphrase of newco");
    await change.getByLabel("New password again").fill("a long passphrase of newco");
    await change.getByRole("button", { name: "Change password" }).click();
    await expect(operator.getByTestId("change-password-message")).toHaveText("Password changed. Your other sessions have been signed out.");
    await signOut(operator);
    await signInWithForm(operator, "agg-newco", "a long passphrase of newco");
    await operator.close();

    // A reset by the administrator signs the operator out everywhere and issues a new password.
    await page.reload();
    await page.getByTestId("accounts").locator('[data-username="agg-newco"]').getByRole("button", { name: "Reset password" }).click();
    await expect(page.getByTestId("issued-password")).toContainText("agg-newco");
  });
});
