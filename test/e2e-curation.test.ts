import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../src-main/common/contract.ts';
import type { RunningServer } from '../src-main/server/server.ts';
import { closeBrowserApp, openBrowserApp } from './support/browser-app.ts';
import { SCREENSHOTS } from './support/browser.ts';

/**
 * Curation that acts (issue 15), in the real renderer in Chromium against `workbench serve`'s server:
 * a noisy dataset's filter pipeline previewed live as a threshold moves, applied as a new version, the
 * versions listed and diffed, and a run trained on the original retrained on the filtered version from its
 * page, until the stored paired bootstrap is shown. Screenshots: test-artifacts/screenshots/curation-*.png.
 */
const FIXTURE = new URL('./fixtures/tatoeba-findings.tsv', import.meta.url).pathname;
// noise the pipeline removes: a copy, an English "translation", an exact duplicate, a long/short mismatch
const NOISE = [
  'Good morning.\tGood morning.',
  'Where is the station?\tWhere is the station?',
  'I like tea.\tI like tea very much.',
  'I am tired.\tमैं थक गया हूँ।',
  'I am tired.\tमैं थक गया हूँ।',
  'Yes.\tहाँ, मुझे लगता है कि हम सबको कल सुबह जल्दी उठकर स्टेशन जाना चाहिए ' + 'और वहाँ से गाड़ी पकड़नी चाहिए।',
];
// the smallest model that trains, evaluates and decodes: seconds per run
const TINY = {
  dataset: 'noisy',
  valid_ratio: 0,
  test_ratio: 0.1,
  embedding_dim: 16,
  hidden_size: 32,
  batch_size: 64,
  max_epochs: 2,
  // the data map of the pairs (confidence, variability): the pair table sorts by it
  cartography: true,
};
const dir = mkdtempSync(join(tmpdir(), 'wb-e2e-curation-'));
let server: RunningServer;
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];

const call = <T>(channel: string, input: unknown) => server.service.dispatch(channel, input) as Promise<T>;

async function shot(name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `curation-${name}.png`), fullPage: false });
}

/** beforeAll has no expect.poll: wait for a run to end, and say how it ended */
async function waitForRun(id: number, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await call<Output<'runs.get'>>('runs.get', { id });
    if (!['queued', 'running'].includes(status) || Date.now() > until) return status;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

beforeAll(async () => {
  ({ server, browser, page, pageErrors } = await openBrowserApp(join(dir, 'experiments.db'), {
    acceptDownloads: true,
  }));
  const content = `${readFileSync(FIXTURE, 'utf8').trimEnd()}\n${NOISE.join('\n')}\n`;
  await call('datasets.import', { name: 'noisy', fileName: 'noisy.tsv', content, jobId: 'import-noisy' });
  const run = await call<Output<'runs.launch'>>('runs.launch', { preset: 'tutorial', config: TINY, name: 'original' });
  const status = await waitForRun(run.id, 180_000);
  if (status !== 'completed') throw new Error(`the original run ended ${status}`);
  await page.goto(`${server.url}#/datasets/noisy?tab=filters`);
}, 240_000);

afterAll(() => closeBrowserApp({ server, browser }));

describe('curation that acts (Chromium, browser mode)', () => {
  const removed = () => page.textContent('[data-testid=filter-removed]');

  it('previews the pipeline: counts per filter, removed pairs with reasons, histograms', async () => {
    await page.locator('[data-testid=filter-sample-row]').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=filter-step]').count()).toBe(4);
    expect(Number((await removed())?.replace(/,/g, ''))).toBeGreaterThanOrEqual(4);
    const reasons = await page.locator('[data-testid=filter-sample] .reason').allTextContents();
    expect(reasons.join(' ')).toMatch(/Hindi side 0% Devanagari/);
    expect(reasons.join(' ')).toMatch(/exact duplicate of pair \d+/);
    for (const h of ['source', 'target', 'ratio']) await page.locator(`[data-testid=histogram-${h}] canvas`).waitFor();
    await page.locator('[data-testid=filter-count-chart] canvas').waitFor();
    await page.locator('[data-testid=finding-chart-canvas] canvas').waitFor();
    await shot('filter-preview');
    await page.locator('[data-testid=filter-sample]').scrollIntoViewIfNeeded();
    await shot('filter-removed');
  });

  it('moving a threshold previews again (debounced) and the counts follow', async () => {
    const before = Number((await removed())?.replace(/,/g, ''));
    // a length ratio of at most 1.2 from 1 word on: many more pairs go
    await page.fill('[data-testid=filter-length_ratio-minTokens]', '1');
    await page.fill('[data-testid=filter-length_ratio-maxRatio]', '1.2');
    await expect
      .poll(async () => Number((await removed())?.replace(/,/g, '')), { timeout: 15_000 })
      .toBeGreaterThan(before + 10);
    await shot('filter-threshold');
    // back to the default: the counts come back
    await page.fill('[data-testid=filter-length_ratio-maxRatio]', '3.5');
    await page.fill('[data-testid=filter-length_ratio-minTokens]', '4');
    await expect.poll(async () => Number((await removed())?.replace(/,/g, '')), { timeout: 15_000 }).toBe(before);
  });

  it('shows a near duplicate’s partners; keeping one makes a version without the others', async () => {
    await page.click('[data-testid=dataset-tab-pairs]');
    await page.locator('[data-testid=finding-filter]', { hasText: 'near duplicate' }).click();
    await expect.poll(() => page.textContent('[data-testid=pair-count]')).toMatch(/^2 pairs/);
    await page.locator('[data-testid=pair-row]').first().click();
    const partners = page.locator('[data-testid=duplicate-partner]');
    await expect.poll(() => partners.count(), { timeout: 10_000 }).toBe(2);
    await shot('duplicate-partners');
    // keep the one that is not selected: the selected one leaves the head
    await partners
      .filter({ hasNot: page.locator('[data-testid=duplicate-pick][disabled]') })
      .locator('[data-testid=duplicate-keep]')
      .click();
    await expect
      .poll(() => page.textContent('[data-testid=datasets-message]'), { timeout: 10_000 })
      .toMatch(/^version \d+ “kept #?\d+.*”: kept pair \d+, removed 1 pair/);
    await expect.poll(() => page.textContent('[data-testid=pair-count]')).toMatch(/^1 pair\b/);
    await page.goto(`${server.url}#/datasets/noisy?tab=filters`);
    await page.locator('[data-testid=filter-sample-row]').first().waitFor({ timeout: 30_000 });
  });

  it('applies the pipeline as a new version, listed and diffed', async () => {
    const count = Number((await removed())?.replace(/,/g, ''));
    await page.click('[data-testid=filter-apply]');
    await expect
      .poll(() => page.textContent('[data-testid=datasets-message]'), { timeout: 20_000 })
      .toMatch(/^version \d+ “filter: .*”: removed \d+ pairs?/);
    expect(await page.textContent('[data-testid=datasets-message]')).toContain(`removed ${count} pair`);
    await page.click('[data-testid=dataset-tab-versions]');
    const rows = page.locator('[data-testid=version-row]');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    // newest first; the diff shows what the filter took out
    expect(await rows.first().textContent()).toContain('filter');
    await expect
      .poll(() => page.textContent('[data-testid=version-diff-counts]'), { timeout: 10_000 })
      .toContain(`−${count} removed`);
    expect(await page.locator('[data-testid=diff-row][data-kind=removed]').count()).toBe(Math.min(count, 100));
    await shot('versions');
  });

  it('retrains the run on the current version and shows the stored comparison', async () => {
    await page.goto(`${server.url}#/runs/1`);
    await page.click('[data-testid=retrain]');
    await expect.poll(() => page.textContent('[data-testid=retrain-message]')).toMatch(/queued .* version \d+/);
    await page.locator('[data-testid=comparison]').first().waitFor();
    await shot('retrain-pending');
    await page
      .locator('[data-testid=comparison][data-state=done]')
      .waitFor({ timeout: 240_000 })
      .catch(async (e: unknown) => {
        await shot('retrain-timeout');
        throw e;
      });
    const bleu = await page.locator('[data-testid=comparison-bleu]').textContent();
    expect(bleu).toMatch(/BLEU\s*\d+\.\d\d/);
    await page.locator('[data-testid=comparison]').scrollIntoViewIfNeeded();
    await shot('retrain-compared');
  }, 300_000);

  it('sorts the pair table by the run’s data map', async () => {
    await page.goto(`${server.url}#/datasets/noisy`);
    await page.locator('[data-testid=pair-row]').first().waitFor();
    await page.selectOption('[data-testid=pair-run]', '1');
    expect(await page.inputValue('[data-testid=pair-sort]')).toBe('confidence');
    const cells = page.locator('[data-testid=cell-model]');
    await expect
      .poll(() => cells.first().textContent(), { timeout: 10_000 })
      .toMatch(/(easy|ambiguous|hard)\s*\d\.\d{3}±/);
    // least confident first
    const conf = (await cells.allTextContents()).slice(0, 10).map((t) => Number(/(\d\.\d{3})±/.exec(t)?.[1]));
    expect(conf).toEqual([...conf].sort((a, b) => a - b));
    await shot('cartography-sort');
  });

  it('scores the pairs with a run and filters by the score', async () => {
    await page.click('[data-testid=dataset-tab-filters]');
    // the pipeline was applied: it removes nothing more
    await expect.poll(() => removed(), { timeout: 30_000 }).toBe('0');
    await page.selectOption('[data-testid=filter-add]', 'model_score');
    const step = page.locator('[data-testid=filter-step][data-kind=model_score]');
    await step.locator('[data-testid=score-pairs]').click();
    await expect
      .poll(() => page.textContent('[data-testid=filter-note]'), { timeout: 60_000 })
      .toMatch(/^[\d,]+ pairs scored by run \d+/);
    // a log-probability is below 0: at a threshold of 0 every scored pair goes
    await step.locator('[data-testid=filter-model_score-minScore]').fill('0');
    await expect
      .poll(
        async () =>
          Number(
            (await step.locator('[data-testid=filter-step-count]').textContent())
              ?.match(/−([\d,]+)/)?.[1]
              ?.replace(/,/g, ''),
          ),
        {
          timeout: 15_000,
        },
      )
      .toBeGreaterThan(100);
    // every pair goes: nothing is left to make a version of, so Apply is off
    await expect.poll(() => page.textContent('[data-testid=filter-kept]'), { timeout: 15_000 }).toBe('0');
    await expect.poll(() => page.textContent('[data-testid=filter-ms]')).toMatch(/^preview \d+ ms/);
    expect(await page.isDisabled('[data-testid=filter-apply]')).toBe(true);
    await shot('model-score');
  });

  it('shows a test sentence’s history and the test set by slice on the run page', async () => {
    await call('runs.evaluate', { runId: 2, maxSentences: 50 });
    await page.goto(`${server.url}#/runs/2`);
    const sentence = page.locator('[data-testid=sentence-row]').first();
    await sentence.waitFor({ timeout: 20_000 });
    await sentence.click();
    await page.locator('[data-testid=sentence-history-entries] tr').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid=slice-row]').count()).toBeGreaterThan(1);
    await page.locator('[data-testid=slices]').scrollIntoViewIfNeeded();
    await shot('history-slices');
    expect(pageErrors).toEqual([]);
  });
});
