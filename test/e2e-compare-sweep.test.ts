import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSweepStore } from '../bench/lib/sweep-store.ts';
import { queueLaunch } from '../src-main/core/runs/queue.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { setQueuePaused } from '../src-main/core/store/queue-claim.ts';
import type { RunningServer } from '../src-main/server/server.ts';
import { closeBrowserApp, openBrowserApp } from './support/browser-app.ts';
import { SCREENSHOTS } from './support/browser.ts';

/**
 * The compare view on a 3 x 3 sweep with 3 seeds (27 generated runs, nothing
 * trained): seed groups with bands and mean ± std, the metric grid with synced
 * hover and zoom, parallel coordinates whose brushing filters the run table, and
 * parameter importance. Screenshots land in test-artifacts/screenshots/compare-*.png.
 */
const dir = mkdtempSync(join(tmpdir(), 'wb-e2e-sweep-'));
let server: RunningServer;
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  const dbPath = join(dir, 'experiments.db');
  await makeSweepStore(dbPath, { points: 2000 });
  // three launches waiting in a paused queue (nothing trains): the Runs view's queue panel orders, holds, cancels
  const db = openDb(dbPath);
  setQueuePaused(db, true);
  for (const name of ['q-first', 'q-second', 'q-third'])
    queueLaunch(db, { preset: 'tutorial', config: { dataset: 'builtin:tutorial' }, name });
  db.close();
  ({ server, browser, page, pageErrors } = await openBrowserApp(dbPath));
  await page.goto(`${server.url}#/compare`);
});

afterAll(() => closeBrowserApp({ server, browser }));

describe('comparing a sweep (Chromium, browser mode)', () => {
  it('ticks the 27 runs of the sweep and draws them', async () => {
    await page.locator('[data-testid=compare-pick]').nth(26).waitFor();
    const started = Date.now();
    await page.click('[data-testid=compare-tick-shown]');
    await expect.poll(() => page.textContent('[data-testid=compare-footer]')).toMatch(/^270 points/);
    await page.locator('[data-testid=compare-chart] canvas').waitFor();
    console.log(`27 runs: selection to drawn in ${Date.now() - started} ms`);
    expect(await page.locator('[data-testid=results-table] tbody tr').count()).toBe(27);
  });

  it("hovers Compare's chart without a redraw: a crosshair and a tooltip of every run over the canvas", async () => {
    const canvas = page.locator('[data-testid=compare-chart] canvas');
    const pixels = "document.querySelector('[data-testid=compare-chart] canvas').toDataURL()";
    const before = await page.evaluate(pixels);
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no chart');
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6);
    const tip = page.locator('[data-testid=compare-chart-tip]');
    await tip.waitFor();
    expect(await tip.locator('.swatch').count()).toBe(27);
    expect(await tip.locator('.tip-title').textContent()).toMatch(/^step \d/);
    // chart.js's tooltip was drawn into the canvas, the whole chart redrawn per move
    expect(await page.evaluate(pixels)).toBe(before);
    await shot('compare-hover');
    await page.mouse.move(0, 0);
    await tip.waitFor({ state: 'detached' });
  });

  it('groups the seeds: nine means in bands, mean ± std per group', async () => {
    await page.selectOption('[data-testid=compare-group]', 'seed');
    await page.locator('[data-testid=compare-group-chart] canvas').waitFor();
    expect(await page.textContent('[data-testid=group-count]')).toBe('9 groups of 27 runs');
    const rows = page.locator('[data-testid=group-row]');
    expect(await rows.count()).toBe(9);
    const row = rows.filter({ hasText: 'hidden_size=64 · learning_rate=0.0003' });
    expect((await row.locator('td').allTextContents()).slice(1, 3)).toEqual([
      '3',
      expect.stringMatching(/^\d+\.\d\d ± \d\.\d\d$/),
    ]);
    await page.selectOption('[data-testid=compare-band]', 'ci95');
    await shot('compare-seed-groups');
  });

  it('shows every metric in a grid that hovers and zooms together', async () => {
    await page.click('[data-testid=compare-tab-grid]');
    const bleu = page.locator('[data-testid="grid-chart-valid/bleu"]');
    const loss = page.locator('[data-testid="grid-chart-train/loss"]');
    const memory = page.locator('[data-testid="grid-chart-system/memory_mb"]');
    for (const c of [bleu, loss, memory]) await c.locator('canvas').waitFor();
    const box = await loss.boundingBox();
    if (!box) throw new Error('no loss chart');
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    // the hover reaches the other charts
    await expect.poll(() => memory.getAttribute('data-hover-x')).toMatch(/^\d/);
    await shot('compare-grid-hover');
    // drag across the loss chart: every chart zooms to that x range
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    const range = await memory.getAttribute('data-range');
    expect(range).toMatch(/^\d/);
    const [lo, hi] = (range ?? '').split(',').map(Number);
    expect(hi - lo).toBeGreaterThan(200);
    expect(hi - lo).toBeLessThan(1000);
    expect(await bleu.getAttribute('data-range')).toBe(range);
    await shot('compare-grid-zoomed');
    await page.click('[data-testid=grid-reset-zoom]');
    expect(await memory.getAttribute('data-range')).toBeNull();
  });

  it('brushes the parallel coordinates to filter the runs, and ranks the parameters', async () => {
    await page.click('[data-testid=compare-tab-sweep]');
    await expect.poll(() => page.locator('[data-testid=pc-line]').count()).toBe(27);
    const imp = page.locator('[data-testid=importance-row]');
    expect(await imp.first().textContent()).toContain('hidden_size');
    expect(await imp.allTextContents()).toContainEqual(expect.stringContaining('random_seed\u00a0(noise reference)'));
    await shot('compare-sweep');
    // brush the top of the hidden_size axis: only the 256-unit runs are left
    const axis = await page.locator('[data-testid=pc-axis-hidden_size]').boundingBox();
    if (!axis) throw new Error('no hidden_size axis');
    await page.mouse.move(axis.x + axis.width / 2, axis.y + 2);
    await page.mouse.down();
    await page.mouse.move(axis.x + axis.width / 2, axis.y + axis.height * 0.3, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.locator('[data-testid=sweep-row]').count()).toBe(9);
    expect(await page.locator('[data-testid=pc-line][data-pass=true]').count()).toBe(9);
    expect(await page.locator('[data-testid=sweep-row]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/h256-/)]),
    );
    await shot('compare-sweep-brushed');
    await page.click('[data-testid=sweep-choose]');
    await expect.poll(() => page.locator('[data-testid=compare-pick]:checked').count()).toBe(9);
  });

  it('tags and notes runs in the Runs view, and filters by tag and by notes', async () => {
    await page.goto(`${server.url}#/runs`);
    const row = page.locator('[data-testid=run-row]', { has: page.locator('a', { hasText: 'h256-lr0.001-s1' }) });
    await row.locator('[data-testid=tag-add]').fill('best lr-mid');
    await row.locator('[data-testid=tag-add]').press('Enter');
    await expect
      .poll(() => row.locator('[data-testid=run-tags] .chip').allTextContents())
      .toEqual(['best×', 'lr-mid×']);
    await row.locator('[data-testid=run-notes]').click();
    await page.fill('[data-testid=notes-editor]', 'the sweet spot: mid learning rate');
    await page.press('[data-testid=notes-editor]', 'Control+Enter');
    await expect
      .poll(() => row.locator('[data-testid=run-notes]').textContent())
      .toBe('the sweet spot: mid learning rate');
    await page.selectOption('[data-testid=runs-tag-filter]', 'best');
    await expect.poll(() => page.locator('[data-testid=run-row]').count()).toBe(1);
    await page.selectOption('[data-testid=runs-tag-filter]', '');
    await page.fill('[data-testid=runs-search]', 'sweet spot');
    await expect.poll(() => page.locator('[data-testid=run-row]').count()).toBe(1);
    await page.fill('[data-testid=runs-search]', '');
    await expect.poll(() => page.locator('[data-testid=run-row]').count()).toBe(27);
    // a tag removed
    await row.locator('[data-testid=tag-remove]').first().click();
    await expect.poll(() => row.locator('[data-testid=run-tags] .chip').allTextContents()).toEqual(['lr-mid×']);
  });

  it('orders, holds and cancels what waits in the queue', async () => {
    const names = () => page.locator('[data-testid=queue-row] td:nth-child(2)').allTextContents();
    await expect.poll(names).toEqual(['q-first', 'q-second', 'q-third']);
    expect(await page.textContent('[data-testid=queue-panel] h3')).toContain('paused');
    await page.locator('[data-testid=queue-row]').nth(2).locator('[data-testid=queue-up]').click();
    await expect.poll(names).toEqual(['q-first', 'q-third', 'q-second']);
    await page.locator('[data-testid=queue-row]').first().locator('[data-testid=queue-hold]').click();
    await expect.poll(() => page.locator('[data-testid=queue-row]').first().getAttribute('data-state')).toBe('held');
    await page.locator('[data-testid=queue-row]').nth(1).locator('[data-testid=queue-cancel]').click();
    await expect.poll(names).toEqual(['q-first', 'q-second']);
    await shot('runs-tags-queue');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
