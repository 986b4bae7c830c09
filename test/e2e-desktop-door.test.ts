import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkbenchEvent } from '../src-main/common/contract.ts';
import { serializeError } from '../src-main/common/errors.ts';
import type { IpcReply } from '../src-main/common/ipc.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { rendererDir } from '../src-main/server/renderer-build.ts';
import { startServer, type RunningServer } from '../src-main/server/server.ts';
import { launchChromium, SCREENSHOTS } from './support/browser.ts';

/**
 * The renderer's other door. Electron cannot run here, so the page gets what
 * the preload gives it (window.workbench: request / onEvent / pathForFile),
 * answered exactly as main.ts's ipcMain handler does: the service's dispatch,
 * errors as data. The page must then use that door alone (no WebSocket) and
 * turn error replies into typed errors.
 */
let server: RunningServer;
let browser: Browser;
let service: WorkbenchService;
const dbPath = join(mkdtempSync(join(tmpdir(), 'wb-door-')), 'experiments.db');

beforeAll(async () => {
  server = await startServer({ dbPath, rendererDir }); // only serves the built page here
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await service?.dispatch('app.info', {}); // still answering: nothing above broke it
  await server?.close();
});

describe('the renderer through the desktop (preload) door', () => {
  it('uses only the bridge: data flows, an error reply shows in the view in words, no socket is opened', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const emit = (event: WorkbenchEvent) =>
      void page
        .evaluate((e) => (globalThis as unknown as { __wbEmit(e: unknown): void }).__wbEmit(e), event)
        .catch(() => {});
    service = new WorkbenchService({ db: openDb(dbPath), dbPath, door: 'electron', emit });
    await page.exposeFunction('__wbRequest', async (channel: string, input: unknown): Promise<IpcReply> => {
      try {
        return { ok: true, result: await service.dispatch(channel, input) };
      } catch (err) {
        return { ok: false, error: serializeError(err) };
      }
    });
    await page.addInitScript(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      const listeners = new Set<(e: unknown) => void>();
      w.__wbEmit = (e: unknown) => listeners.forEach((l) => l(e));
      w.workbench = {
        door: 'electron',
        request: (channel: string, input: unknown) =>
          (w.__wbRequest as (c: string, i: unknown) => Promise<unknown>)(channel, input),
        onEvent: (l: (e: unknown) => void) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
        pathForFile: () => '',
      };
    });
    await page.goto(server.url);
    await expect.poll(() => page.textContent('body')).toContain('desktop mode');
    await page.click('[data-testid=builtin-tutorial]');
    await expect.poll(() => page.locator('[data-testid=pair-row]').count()).toBe(6);
    expect(await page.locator('[data-testid=cell-target]', { hasText: 'नमस्ते' }).count()).toBe(1);
    // An error reply (not_found) reaches the view as words, where it happened.
    await page.goto(`${server.url}#/runs/999`);
    await expect.poll(() => page.textContent('body')).toMatch(/run 999/);
    expect(sockets).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-door.png') });
  });
});
