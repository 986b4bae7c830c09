import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src-main/core/store/db.ts';
import type { RunningServer } from '../src-main/server/server.ts';
import { closeBrowserApp, openBrowserApp } from './support/browser-app.ts';
import { SCREENSHOTS } from './support/browser.ts';

/**
 * A researcher's day in the real renderer, in Debian's Chromium, against
 * `workbench serve`'s server on a temporary store: import, find and edit a
 * pair and undo, train two runs, compare them, export the chart, probe the
 * model in the playground, export it. Screenshots of every view land in
 * test-artifacts/screenshots/.
 */
const TATOEBA = new URL('../../shared/data/tatoeba-hin-eng.tsv', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'wb-e2e-'));
let server: RunningServer;
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function download(click: () => Promise<void>): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent('download') as Promise<Download>, click()]);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return readFileSync(path);
}

async function waitForRunStatus(id: number, status: string, timeout = 120_000) {
  await page.goto(`${server.url}#/runs/${id}`);
  await page.locator(`[data-testid=run-row]:has(a[href="#/runs/${id}"])[data-status=${status}]`).waitFor({ timeout });
}

beforeAll(async () => {
  ({ server, browser, page, pageErrors } = await openBrowserApp(join(dir, 'experiments.db'), {
    acceptDownloads: true,
  }));
  await page.goto(server.url);
});

afterAll(() => closeBrowserApp({ server, browser }));

describe('a day in the workbench (Chromium, browser mode)', () => {
  it('imports the Tatoeba file with progress and shows its findings', async () => {
    await page.fill('[data-testid=import-name]', 'tatoeba');
    await page.setInputFiles('[data-testid=import-file]', TATOEBA);
    await expect
      .poll(() => page.textContent('[data-testid=datasets-message]'), { timeout: 30_000 })
      .toContain('imported 2,949 pairs');
    await expect.poll(() => page.textContent('[data-testid=dataset-stats]')).toContain('2,949 pairs');
    expect(await page.locator('[data-testid=finding-filter]', { hasText: 'latin danda' }).count()).toBe(1);
    await shot('datasets');
    // issue 13 B6: the zero-width finding's character is marked in the table
    await page.locator('[data-testid=finding-filter]', { hasText: 'zero width' }).click();
    await page.locator('[data-testid=pair-row] [data-testid=zw-mark]').first().waitFor();
    // after fixing every latin danda the table does not stay filtered to a finding no pair has
    await page.locator('[data-testid=finding-filter]', { hasText: 'latin danda' }).click();
    await expect.poll(() => page.textContent('[data-testid=pair-count]')).toMatch(/^7 pairs/);
    await page.locator('.kind', { hasText: 'latin danda' }).locator('[data-testid=fix-kind]').click();
    await expect.poll(() => page.textContent('[data-testid=pair-count]')).toMatch(/^2,949 pairs/);
    expect(await page.locator('[data-testid=pairs-empty]').count()).toBe(0);
    expect(await page.textContent('[data-testid=datasets-message]')).toMatch(/fixed 7 pairs .*showing all pairs/);
    // an import error names the file once and the checkbox, not a command-line flag
    await page.setInputFiles('[data-testid=import-file]', {
      name: 'broken.tsv',
      mimeType: 'text/tab-separated-values',
      buffer: Buffer.from('Hello\tनमस्ते\none column only\n'),
    });
    const importError = await page.locator('[data-testid=import-error]').textContent();
    expect(importError).toMatch(/^broken\.tsv:2: .*tick “skip bad lines” under options/);
    expect(importError?.split('broken.tsv').length).toBe(2);
    expect(importError).not.toContain('--skip-bad');
    await page
      .locator('[data-testid=import-panel]')
      .screenshot({ path: join(SCREENSHOTS, 'datasets-import-error.png') });
  });

  it('finds a pair, edits it inline and undoes the edit', async () => {
    await page.fill('[data-testid=pair-search]', 'Hello!');
    const row = page.locator('[data-testid=pair-row]').first();
    await expect.poll(() => row.locator('[data-testid=cell-target]').textContent()).toContain('नमस्ते');
    // A page of rows can arrive while the double-click is under way (the search is debounced): retry it.
    for (let attempt = 0; attempt < 5 && (await page.locator('[data-testid=cell-editor]').count()) === 0; attempt++) {
      await row.locator('[data-testid=cell-target]').dblclick();
      await page
        .locator('[data-testid=cell-editor]')
        .waitFor({ timeout: 2000 })
        .catch(() => {});
    }
    // double-clicking to edit does not tick the row (issue 13 B6)
    expect(await page.locator('[data-testid=pair-row] input[type=checkbox]:checked').count()).toBe(0);
    await page.fill('[data-testid=cell-editor]', 'नमस्कार!');
    await page.press('[data-testid=cell-editor]', 'Enter');
    await expect.poll(() => row.locator('[data-testid=cell-target]').textContent()).toContain('नमस्कार!');
    // The buttons say what they would act on, and are off when there is nothing to act on.
    await expect.poll(() => page.getAttribute('[data-testid=undo]', 'title')).toMatch(/^Undo: edit/);
    expect(await page.isDisabled('[data-testid=redo]')).toBe(true);
    await page.click('[data-testid=undo]');
    await expect.poll(() => row.locator('[data-testid=cell-target]').textContent()).toContain('नमस्ते');
    // what is left to undo is the latin danda fix of the first step
    await expect.poll(() => page.getAttribute('[data-testid=undo]', 'title')).toMatch(/^Undo: fix 7 /);
    expect(await page.getAttribute('[data-testid=redo]', 'title')).toMatch(/^Redo: edit/);
    await shot('datasets-search');
  });

  it('launches a tiny tutorial run and watches it to completion', async () => {
    await page.click('[data-testid=nav-runs]');
    await page.click('[data-testid=new-run]');
    // the form shows what applies, a preset brings its dataset, a refused value is said in words (issue 13 B4)
    await page.selectOption('[data-testid=launch-preset]', 'tatoeba-lstm');
    await expect.poll(() => page.inputValue('[data-testid=launch-dataset]')).toBe('tatoeba');
    for (const key of ['num_heads', 'ff_size', 'luong_score', 'momentum', 'bpe_merges'])
      expect(await page.locator(`[data-testid=field-${key}]`).count(), key).toBe(0);
    expect(await page.textContent('[data-testid=hidden-architecture]')).toContain(
      'attention heads, feed-forward size with model_type = transformer',
    );
    await page.selectOption('[data-testid=launch-preset]', 'tutorial');
    await expect.poll(() => page.inputValue('[data-testid=launch-dataset]')).toBe('builtin:tutorial');
    await page.fill('[data-testid=field-learning_rate]', '0');
    await page.press('[data-testid=field-learning_rate]', 'Tab');
    await expect.poll(() => page.textContent('[data-testid=issue-learning_rate]')).toBe('must be more than 0');
    expect(await page.isDisabled('[data-testid=launch-button]')).toBe(true);
    await page.locator('[data-testid=launch-form]').screenshot({ path: join(SCREENSHOTS, 'launch-form.png') });
    await page.fill('[data-testid=field-learning_rate]', '0.01');
    await page.press('[data-testid=field-learning_rate]', 'Tab');
    await page.fill('[data-testid=field-max_epochs]', '60');
    await page.press('[data-testid=field-max_epochs]', 'Tab');
    await page.click('[data-testid=launch-button]');
    await page.locator('[data-testid=run-row]').first().waitFor();
    // the run's page says what its row says (issue 13 B2: the table said running, the detail queued)
    await page.locator('[data-testid=run-row][data-status=running]').waitFor({ timeout: 60_000 });
    expect(await page.textContent('[data-testid=detail-status]')).toBe('running');
    await shot('runs-training');
    await waitForRunStatus(1, 'completed');
    await page.locator('[data-testid=run-chart]').first().waitFor();
    // every kept checkpoint was labelled "best": now one best, the others ranked, the latest marked
    const labels = await page.locator('[data-testid=checkpoint-label]').allTextContents();
    expect(labels.filter((l) => /(^| )best$/.test(l) && !/\d(st|nd|rd|th) best$/.test(l))).toHaveLength(1);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.some((l) => l.includes('latest') || l.startsWith('final'))).toBe(true);
    // two loss figures, each saying which it is
    expect(await page.textContent('[data-testid=runs-table] thead')).toContain('batch loss');
    expect(await page.textContent('[data-testid=detail-train-loss]')).toMatch(
      /^train\/loss [\d.]+ \(mean of the last 5 updates\)$/,
    );
    // the environment in words: the backends tried one per line, config values without JSON quotes (issue 13 B7)
    const attempts = await page.textContent('[data-testid=env-backend_attempts]');
    expect(attempts).toMatch(/: used/);
    expect(attempts).not.toMatch(/[{}"]/);
    expect(await page.textContent('[data-testid=run-config] tr:has-text("level") td:nth-child(2)')).toBe('word');
    // a run on webgpu records its adapter: the page names it (issue 11 #3); recorded here by hand, this machine has no
    // GPU
    const db = openDb(join(dir, 'experiments.db'));
    const adapter = {
      vendor: 'nvidia',
      architecture: 'hopper',
      device: '',
      description: 'NVIDIA H200',
      software: false,
    };
    db.prepare("UPDATE runs SET environment = json_set(environment, '$.adapter', json(?)) WHERE id = 1").run(
      JSON.stringify(adapter),
    );
    db.close();
    await page.goto(`${server.url}#/runs/1`);
    await expect
      .poll(() => page.textContent('[data-testid=detail-backend]'))
      .toMatch(/^backend \S+ on NVIDIA H200 \(nvidia hopper\)$/);
    expect(await page.textContent('[data-testid=env-adapter]')).toContain('NVIDIA H200 (nvidia hopper)');
    expect(await page.textContent('[data-testid=runs-table]')).toContain('NVIDIA H200');
    await page.locator('[data-testid=run-environment]').screenshot({ path: join(SCREENSHOTS, 'runs-environment.png') });
    await shot('runs');
    await page.locator('[data-testid=run-checkpoints]').screenshot({ path: join(SCREENSHOTS, 'runs-checkpoints.png') });
  }, 150_000);

  it('launches a second run with a change (attention) by cloning the first', async () => {
    await page.click('[data-testid=clone-run]');
    expect(await page.locator('[data-testid=field-luong_score]').count()).toBe(0);
    await page.selectOption('[data-testid=field-attention]', 'luong');
    await page.locator('[data-testid=field-luong_score]').waitFor(); // applies now
    await page.click('[data-testid=launch-button]');
    await waitForRunStatus(2, 'completed');
  }, 150_000);

  it('compares the two runs: chart, differences-only parameters, PNG/SVG/CSV exports', async () => {
    await page.goto(`${server.url}#/compare?runs=1,2`);
    await page.locator('[data-testid=compare-chart] canvas').waitFor();
    // a validation metric is drawn as recorded, and the footer says so (issue 13 B1)
    await expect
      .poll(() => page.textContent('[data-testid=compare-footer]'))
      .toMatch(/not smoothed: valid\/bleu is drawn as recorded/);
    await page.selectOption('[data-testid=compare-metric]', 'train/loss');
    // 12 logged points per run: too few for the default to smooth
    await expect
      .poll(() => page.textContent('[data-testid=compare-footer]'))
      .toMatch(/not smoothed: 12 points per run are too few/);
    expect(
      ((await download(() => page.click('[data-testid=export-svg]'))).toString().match(/<path d="M/g) ?? []).length,
    ).toBe(2);
    await page.selectOption('[data-testid=compare-smoothing]', 'ema');
    await expect
      .poll(() => page.textContent('[data-testid=compare-footer]'))
      .toMatch(/smoothed: EMA 0\.600, applied before decimation/);
    const params = await page.locator('[data-testid=param-row]').allTextContents();
    expect(params.some((p) => p.startsWith('attention'))).toBe(true);
    expect(params.some((p) => p.startsWith('hidden_size'))).toBe(false);
    await shot('compare');
    const png = await download(() => page.click('[data-testid=export-png]'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(2000);
    const svg = (await download(() => page.click('[data-testid=export-svg]'))).toString();
    expect(svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect((svg.match(/<path d="M/g) ?? []).length).toBe(4); // raw + smoothed for each run
    await page.check('[data-testid=compare-log]');
    await shot('compare-log');
    await page.uncheck('[data-testid=compare-log]');
    const csv = (await download(() => page.click('[data-testid=export-csv]'))).toString().trim().split('\n');
    expect(csv[0]).toBe('run,label,metric,step,value,smoothed');
    expect(new Set(csv.slice(1).map((l) => l.split(',')[0]))).toEqual(new Set(['1', '2']));
  });

  it('translates in the playground with beam 3: n-best list, attention heatmap, beam tree', async () => {
    // within the page (no reload): Compare stays as it was left
    await page.evaluate("location.hash = '#/playground?run=2'");
    await page.check('[data-testid=pg-beam]');
    await page.fill('[data-testid=pg-beam-size]', '3');
    await page.fill('[data-testid=pg-input]', 'how are you');
    await expect.poll(() => page.locator('[data-testid=nbest-row]').count(), { timeout: 20_000 }).toBe(3);
    expect(await page.locator('[data-testid=nbest-row]').first().textContent()).toContain('आप कैसे हैं');
    await page.locator('[data-testid=attention-heatmap] rect').first().waitFor();
    await page.locator('[data-testid=beam-tree]').waitFor();
    // issue 13 B5: the heatmap has a legend and a per-row or absolute scale
    expect(await page.inputValue('[data-testid=heatmap-scale]')).toBe('row');
    expect(await page.textContent('[data-testid=heatmap-legend]')).toContain('row max');
    await page.selectOption('[data-testid=heatmap-scale]', 'absolute');
    expect(await page.textContent('[data-testid=heatmap-legend]')).toBe('00.51');
    // the tree fits its panel, says what its numbers are, and collapses pruned candidates into +N
    const fits = await page.evaluate(
      "(() => { const s = document.querySelector('[data-testid=beam-scroll]'); return " +
        "s.querySelector('svg').getBoundingClientRect().width <= s.clientWidth; })()",
    );
    expect(fits).toBe(true);
    expect(await page.textContent('[data-testid=beam-caption]')).toContain("numbers: each token's own log p");
    await page.selectOption('[data-testid=beam-numbers]', 'path');
    expect(await page.textContent('[data-testid=beam-caption]')).toContain('numbers: cumulative log p of the path');
    const drawn = await page.locator('[data-testid=beam-tree] > text').count();
    await page.locator('[data-testid=beam-more]').first().click();
    await expect.poll(() => page.locator('[data-testid=beam-tree] > text').count()).toBeGreaterThan(drawn);
    await shot('playground');
    // the top-k table's sticky header stays above the rows scrolled under it (was: candidate buttons painted over it)
    await page.setViewportSize({ width: 1440, height: 500 });
    const hit = await page.evaluate(`(() => {
      const view = document.querySelector('[data-testid=view-playground]');
      const table = document.querySelector('[data-testid=topk]');
      view.scrollTop += table.getBoundingClientRect().top - view.getBoundingClientRect().top + 12;
      const th = table.querySelector('th:last-child').getBoundingClientRect();
      return document.elementFromPoint(th.left + 40, th.top + th.height / 2).closest('th') !== null;
    })()`);
    await shot('playground-topk-stuck');
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(hit).toBe(true);
  });

  it('keeps each view as it was left when switching views (issue 13 B3)', async () => {
    await page.click('[data-testid=nav-compare]');
    expect(await page.inputValue('[data-testid=compare-metric]')).toBe('train/loss');
    expect(await page.inputValue('[data-testid=compare-smoothing]')).toBe('ema');
    expect(await page.locator('[data-testid=compare-pick]:checked').count()).toBe(2);
    await page.locator('[data-testid=compare-chart] canvas').waitFor();
    await page.click('[data-testid=nav-runs]');
    await page.click('[data-testid=runs-table] a[href="#/runs/2"] >> nth=0');
    await page.locator('[data-testid=detail-status]').waitFor();
    await page.click('[data-testid=nav-playground]');
    expect(await page.inputValue('[data-testid=pg-input]')).toBe('how are you');
    expect(await page.isChecked('[data-testid=pg-beam]')).toBe(true);
    expect(await page.inputValue('[data-testid=pg-beam-size]')).toBe('3');
    expect(await page.locator('[data-testid=nbest-row]').count()).toBe(3);
    // Alt+2 goes back to the run last opened in Runs
    await page.keyboard.press('Alt+2');
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/runs/2');
    expect(await page.textContent('[data-testid=view-runs] h2 >> nth=1')).toMatch(/^Run 2: /);
    await shot('runs-after-switch');
  });

  it('exports the trained model as a zip', async () => {
    await page.click('[data-testid=nav-playground]');
    const zip = await download(() => page.click('[data-testid=export-model]'));
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zip.includes(Buffer.from('model.json'))).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
