import type { Browser, Page } from 'playwright-core';
import { rendererDir } from '../../src-main/server/renderer-build.ts';
import { startServer, type RunningServer } from '../../src-main/server/server.ts';
import { launchChromium } from './browser.ts';

/** The built app as an e2e test drives it: `workbench serve`'s server on a store, and a Chromium page for it. */
export interface BrowserApp {
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** the page's uncaught errors, in order: a test file ends by asserting there were none */
  pageErrors: string[];
}

export interface BrowserAppOptions {
  /** the page's size; the views are laid out for a laptop's 1440 x 900 */
  viewport?: { width: number; height: number };
  /** for the tests that save what the app downloads (exports) */
  acceptDownloads?: boolean;
}

/** Serves the store at `dbPath` and opens a blank page in Chromium; the test goes to `server.url` itself. */
export async function openBrowserApp(dbPath: string, options: BrowserAppOptions = {}): Promise<BrowserApp> {
  const server = await startServer({ dbPath, rendererDir });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const { viewport = { width: 1440, height: 900 }, acceptDownloads } = options;
    const context = await browser.newContext({ viewport, acceptDownloads });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return { server, browser, page, pageErrors };
  } catch (e) {
    // afterAll is never handed what was opened here: close it here
    await closeBrowserApp({ server, browser });
    throw e;
  }
}

/** Closes what `openBrowserApp` opened; either may be missing when a beforeAll failed before it. */
export async function closeBrowserApp(app: Partial<Pick<BrowserApp, 'server' | 'browser'>>): Promise<void> {
  await app.browser?.close();
  await app.server?.close();
}
