import type { Browser, BrowserContext, Page } from "@playwright/test";

const open: BrowserContext[] = [];

/**
 * A page in a browser context of its own: another operator signed in beside the test's
 * page. Closed by closeSeparatePages after the test (each spec file registers it with
 * test.afterEach): left open, a TSO page still loading its maps and demo power flows drew in
 * software on the same 2 cores during the next story, whose main-thread checks then saw
 * tasks of 8 s by the clock.
 */
export async function separatePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  open.push(context);
  return context.newPage();
}

export async function closeSeparatePages(): Promise<void> {
  while (open.length) await open.pop()!.close();
}
