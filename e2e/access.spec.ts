import { expect, test } from "@playwright/test";
import { apiAs, signInWithForm } from "./support/accounts";

async function bergwaldGridId(baseURL: string): Promise<string> {
  const api = await apiAs(baseURL, "dso-bergwald");
  const { grids } = (await (await api.get("/api/grids")).json()) as { grids: { id: string; name: string }[] };
  const grid = grids.find((g) => g.name === "Bergwald (generated district)");
  if (!grid) throw new Error("the seeded Bergwald grid is missing");
  return grid.id;
}

test.describe("who may open a DSO's grid", () => {
  test("the TSO cannot open a DSO's grid: 403 page and 403 from the API", async ({ page, baseURL }) => {
    const id = await bergwaldGridId(baseURL!);
    await signInWithForm(page, "tso");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Home", "TSO clearing", "Coordination study", "Activity"]);

    const res = await page.goto(`/dso?grid=${id}`);
    expect(res?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toContainText("403");
    await expect(page.getByTestId("forbidden")).toContainText("Access denied");
    await expect(page.getByTestId("forbidden")).toContainText("TransGrid TSO (TSO)");

    for (const path of [`/api/grids/${id}`, `/api/grids/${id}/network`, `/api/grids/${id}/runs`, "/api/grids"]) {
      const api = await page.request.get(path);
      expect(api.status(), path).toBe(403);
      expect(((await api.json()) as { error: string }).error).toMatch(/needs the DSO role/);
    }
    expect((await page.request.delete(`/api/grids/${id}`)).status()).toBe(403);
  });

  test("another DSO cannot open Bergwald's grid", async ({ page, baseURL }) => {
    const id = await bergwaldGridId(baseURL!);
    await signInWithForm(page, "dso-rheintal");
    const res = await page.goto(`/dso?grid=${id}`);
    expect(res?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toContainText("Access denied");
    const api = await page.request.get(`/api/grids/${id}/network`);
    expect(api.status()).toBe(403);
    expect(await api.json()).toEqual({ error: "this grid belongs to another operator", code: "forbidden" });
  });

  test("anonymous visitors are sent to sign in, and the API answers 401", async ({ page }) => {
    await page.goto("/dso");
    await expect(page).toHaveURL(/\/signin\?next=%2Fdso$/);
    const api = await page.request.get("/api/grids");
    expect(api.status()).toBe(401);
    expect(await api.json()).toEqual({ error: "sign in first", code: "unauthorized" });
  });

  test("a wrong password is refused on the form; sign-out ends the session", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("User name").fill("dso-bergwald");
    await page.getByLabel("Password").fill("wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("signin-error")).toHaveText("unknown user name or wrong password, or too many failed attempts (then wait 15 minutes)");

    await signInWithForm(page, "dso-bergwald");
    expect((await page.request.get("/api/auth/me")).status()).toBe(200);
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/signin$/);
    expect((await page.request.get("/api/auth/me")).status()).toBe(401);
  });
});
