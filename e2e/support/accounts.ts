import { expect, request, type APIRequestContext, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "flexdemo";

/** Sign a browser page in through the sign-in form, as an operator would. */
export async function signInWithForm(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("current-user").filter({ hasText: username }).waitFor();
}

/** Sign out from the top bar and wait for the sign-in form it leads to. */
export async function signOut(page: Page): Promise<void> {
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByLabel("User name")).toBeVisible();
}

/** An API client with its own session of a demo account. */
export async function apiAs(baseURL: string, username: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL });
  const res = await ctx.post("/api/auth/signin", { data: { username, password: DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`sign-in of ${username} failed: HTTP ${res.status()} ${await res.text()}`);
  return ctx;
}

/** Upload a grid file through the API (for stories that need a grid but are not about uploading). */
export async function uploadGridApi(api: APIRequestContext, fileName: string, text: string, name?: string): Promise<{ id: string; name: string }> {
  const res = await api.post("/api/grids", {
    multipart: { file: { name: fileName, mimeType: "text/plain", buffer: Buffer.from(text) }, ...(name ? { name } : {}) },
  });
  if (res.status() !== 201) throw new Error(`upload of ${fileName} failed: HTTP ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { grid: { id: string; name: string } }).grid;
}
