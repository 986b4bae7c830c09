import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { ensureSplit } from '../src-main/core/data/splits.ts';
import type { RunningServer } from '../src-main/server/server.ts';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { averageLastCheckpoints } from '../src-main/core/train/average.ts';
import { exportModel } from '../src-main/core/export/model-export.ts';
import { closeBrowserApp, openBrowserApp } from './support/browser-app.ts';
import { SCREENSHOTS } from './support/browser.ts';
import { makeRun, tempDb } from './inference-fixtures.ts';

/**
 * Evaluate from the run page, and sampling in the playground, in the real renderer (Chromium,
 * browser mode) on a fixture run given builtin:sample's split and an averaged checkpoint.
 * Then a model import and a scoring of uploaded texts. Screenshots: run-evaluate.png,
 * playground-sampling.png, playground-search-options.png, run-imported-score.png.
 */
let server: RunningServer;
let browser: Browser;
let page: Page;
let runId = 0;
let zip = '';
let pageErrors: string[] = [];

beforeAll(async () => {
  const { db, dbPath } = tempDb();
  ({ runId } = await makeRun(db, {}, [
    { step: 10, bleu: 3, seed: 1 },
    { step: 20, bleu: 4, seed: 2 },
  ]));
  const dataset = await getDatasetByName(db, 'builtin:sample');
  const split = ensureSplit(db, dataset.id, 'default', { seed: 1, valid_ratio: 0.1, test_ratio: 0.1 });
  db.prepare('UPDATE runs SET split_id = ?, dataset_id = ? WHERE id = ?').run(split.id, dataset.id, runId);
  await initBackend('cpu');
  await averageLastCheckpoints(db, runId, 2);
  zip = join(dbPath, '..', 'fixture-model.zip');
  exportModel(db, runId, zip);
  db.close();
  ({ server, browser, page, pageErrors } = await openBrowserApp(dbPath));
}, 120_000);

afterAll(() => closeBrowserApp({ server, browser }));

describe('evaluate and sample in the app', () => {
  it('evaluates the averaged checkpoint on the test pairs from the run page', async () => {
    await page.goto(`${server.url}#/runs/${runId}`);
    await page.locator('[data-testid=run-detail]').waitFor();
    expect(await page.locator('[data-testid=checkpoint-label]').allTextContents()).toContain('averaged last 2');
    await page.selectOption('[data-testid=evaluate-checkpoint]', 'averaged');
    await page.click('[data-testid=evaluate-run]');
    await page.locator('[data-testid=evaluation-row]').first().waitFor({ timeout: 60_000 });
    const row = await page.locator('[data-testid=evaluation-row]').first().textContent();
    expect(row).toMatch(/BLEU \d+\.\d\d.*chrF \d+\.\d\d.*split default\/test · averaged · beam 1/);
    await page.locator('[data-testid=run-evaluations]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'run-evaluate.png'), fullPage: true });
  }, 90_000);

  it('draws samples in the playground; the same seed draws the same ones', async () => {
    await page.goto(`${server.url}#/playground?run=${runId}`);
    await page.click('[data-testid=pg-sample]');
    await page.fill('[data-testid=pg-temperature]', '2');
    await page.fill('[data-testid=pg-input]', 'how are you');
    const sampled = page.locator('h3', { hasText: 'samples, most likely first' });
    await expect.poll(() => sampled.count(), { timeout: 30_000 }).toBe(1);
    // The samples' table (texts, scores, lengths): other samples with another seed, the first ones back with seed 1.
    const list = () => page.locator('[data-testid=nbest] tbody').textContent();
    const first = await list();
    await page.click('[data-testid=pg-resample]');
    await expect.poll(list, { timeout: 30_000 }).not.toBe(first);
    await page.fill('[data-testid=pg-seed]', '1');
    await expect.poll(list, { timeout: 30_000 }).toBe(first);
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-sampling.png'), fullPage: true });
    // Beam search with every search option beside it; a max_length above 10 is a token count.
    await page.click('[data-testid=pg-beam]');
    await page.selectOption('[data-testid=pg-length-penalty]', 'avg');
    await page.fill('[data-testid=pg-max-length]', '12');
    const cells = page.locator('[data-testid=nbest-row] td:nth-child(5)');
    const fits = async () => {
      const n = (await cells.allTextContents()).map(Number);
      return n.length === 3 && Math.max(...n) <= 12;
    };
    await expect.poll(fits, { timeout: 30_000 }).toBe(true);
    expect(await page.locator('h3', { hasText: '3-best list' }).count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-search-options.png') });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('imports an exported model from the Runs page, and scores uploaded translations', async () => {
    await page.goto(`${server.url}#/runs`);
    await page.setInputFiles('[data-testid=import-model]', zip);
    await page.locator('[data-testid=detail-status]', { hasText: 'imported' }).waitFor({ timeout: 30_000 });
    const labels = await page.locator('[data-testid=checkpoint-label]').allTextContents();
    expect(labels).toEqual([expect.stringMatching(/^imported/)]);
    const lines = Buffer.from('आप कैसे हैं?\nधन्यवाद।\n');
    const text = (name: string) => ({ name, mimeType: 'text/plain', buffer: lines });
    await page.setInputFiles('[data-testid=score-hyp]', text('hyp.txt'));
    await page.setInputFiles('[data-testid=score-ref]', text('ref.txt'));
    await page.click('[data-testid=score-run]');
    const result = page.locator('[data-testid=score-result]');
    const perfect = /BLEU 100\.00 · chrF 100\.00 on 2 lines/;
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toMatch(perfect);
    await page.locator('[data-testid=score-texts]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'run-imported-score.png') });
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
