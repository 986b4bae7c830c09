import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../src-main/common/contract.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { Rng } from '../src-main/core/rng.ts';
import { openDb } from '../src-main/core/store/db.ts';
import type { RunningServer } from '../src-main/server/server.ts';
import { closeBrowserApp, openBrowserApp } from './support/browser-app.ts';
import { SCREENSHOTS } from './support/browser.ts';

/**
 * Slow dataset work shows its progress and can be cancelled (issue 15 leftover 1), in Chromium against the
 * browser-mode server: on 120k generated pairs, the Filters tab's first preview (it measures every pair) shows
 * a progress line with an ETA, and its Cancel stops it; an apply shows its own and its Cancel leaves the versions
 * as they were. Screenshots: test-artifacts/screenshots/task-progress-*.png (the line, and a cancelled apply).
 */
const PAIRS = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'wb-e2e-task-progress-'));
let server: RunningServer;
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];

const call = <T>(channel: string, input: unknown) => server.service.dispatch(channel, input) as Promise<T>;

beforeAll(async () => {
  const rng = new Rng(11);
  const en = ['the', 'river', 'runs', 'to', 'a', 'green', 'valley', 'old', 'house', 'of', 'stone'];
  const hi = ['नदी', 'घर', 'पुराना', 'हरा', 'घाटी', 'पत्थर', 'बारिश', 'रोशनी', 'की', 'में', 'है'];
  const words = (vocab: string[], k: number) =>
    Array.from({ length: k }, () => vocab[Math.floor(rng.next() * vocab.length)]).join(' ');
  const lines: string[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const k = 3 + Math.floor(rng.next() * 8);
    lines.push(`${words(en, k)} ${i}\t${words(hi, i % 4 === 0 ? k * 4 : k)}`);
  }
  const file = join(dir, 'big.tsv');
  writeFileSync(file, lines.join('\n') + '\n');
  const dbPath = join(dir, 'experiments.db');
  const db = openDb(dbPath);
  await importDataset(db, { name: 'big', files: [file], format: 'tsv' });
  db.close();
  ({ server, browser, page, pageErrors } = await openBrowserApp(dbPath));
}, 180_000);

afterAll(() => closeBrowserApp({ server, browser }));

describe('dataset task progress and cancel (Chromium, browser mode)', () => {
  it('a first preview shows its progress with an ETA; Cancel stops it', async () => {
    await page.goto(`${server.url}#/datasets/big?tab=filters`);
    const line = page.getByTestId('filter-preview-progress');
    await line.waitFor({ state: 'visible', timeout: 60_000 });
    await expect.poll(() => line.textContent()).toMatch(/preview: measuring pairs [\d,]+ \/ 120,000 \(\d+%\) · ETA/);
    // at once: a fast machine measures 120k pairs in under a second
    await page.getByTestId('filter-preview-progress-cancel').click();
    await expect.poll(() => page.getByTestId('filter-note').textContent()).toBe('preview cancelled');
    await line.waitFor({ state: 'hidden' });
    // Asked again, it measures again: a picture of the line while it does (none when it ends first).
    await page.getByRole('button', { name: 'Reset' }).click();
    await line.waitFor({ state: 'visible', timeout: 10_000 }).then(
      async () => {
        expect(await page.getByTestId('filter-note').count()).toBe(0); // the old cancel is not said beside it
        await page.screenshot({ path: join(SCREENSHOTS, 'task-progress-preview.png') });
      },
      () => {},
    );
  }, 90_000);

  it('an apply shows its progress; Cancel leaves the versions and the pairs as they were', async () => {
    const before = await call<Output<'datasets.versions'>>('datasets.versions', { name: 'big' });
    const apply = page.getByTestId('filter-apply');
    await expect.poll(() => apply.isEnabled(), { timeout: 60_000 }).toBe(true);
    await apply.click();
    const line = page.getByTestId('filter-apply-progress');
    await line.waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByTestId('filter-apply-progress-cancel').click();
    await expect
      .poll(() => page.getByTestId('filter-note').textContent(), { timeout: 30_000 })
      .toBe('apply cancelled: nothing was changed');
    await page.screenshot({ path: join(SCREENSHOTS, 'task-progress-apply-cancelled.png') });
    expect(await call('datasets.versions', { name: 'big' })).toEqual(before);
    const pairs = await call<Output<'pairs.list'>>('pairs.list', { name: 'big', limit: 1 });
    expect(pairs.total).toBe(PAIRS);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
