import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src-main/server/server.ts';
import { closeBrowserApp, openBrowserApp } from './support/browser-app.ts';
import { SCREENSHOTS } from './support/browser.ts';

/**
 * The launch form's sweep and the run page's checkpoint averaging, in Chromium against
 * `workbench serve`'s server: a 2 x 1 sweep (hidden_size 16, 32; seed 1) of a tiny tutorial
 * model on builtin:sample is built, counted and queued from the form, the queue trains both, and
 * the last 2 checkpoints of one are averaged, evaluated and opened in the playground.
 * Screenshots land in test-artifacts/screenshots/launch-sweep-*.png.
 */
const dir = mkdtempSync(join(tmpdir(), 'wb-e2e-launch-sweep-'));
let server: RunningServer;
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `launch-sweep-${name}.png`), fullPage: true });
}

/** an element's text without the markup's surrounding whitespace */
const text = async (selector: string) => (await page.textContent(selector))?.trim();

async function setField(key: string, value: string) {
  await page.fill(`[data-testid=field-${key}]`, value);
  await page.press(`[data-testid=field-${key}]`, 'Tab');
}

beforeAll(async () => {
  ({ server, browser, page, pageErrors } = await openBrowserApp(join(dir, 'experiments.db')));
  await page.goto(server.url);
});

afterAll(() => closeBrowserApp({ server, browser }));

describe('sweeps and checkpoint averaging from the app (Chromium, browser mode)', () => {
  it('builds a 2 x 1 sweep in the launch form, counts it and queues it', async () => {
    await page.click('[data-testid=nav-runs]');
    await page.click('[data-testid=new-run]');
    await page.selectOption('[data-testid=launch-preset]', 'tutorial');
    await page.selectOption('[data-testid=launch-dataset]', 'builtin:sample');
    // tiny: two epochs of a 16-wide model, a test part to evaluate on
    for (const [key, value] of [
      ['embedding_dim', '16'],
      ['batch_size', '32'],
      ['max_epochs', '2'],
      ['valid_ratio', '0.1'],
      ['test_ratio', '0.1'],
    ])
      await setField(key, value);
    expect(await text('[data-testid=launch-button]')).toBe('Start now');
    expect(await page.isEnabled('[data-testid=launch-queue]')).toBe(true);

    await page.check('[data-testid=launch-sweep-toggle]');
    expect(await page.isDisabled('[data-testid=sweep-launch]')).toBe(true); // nothing swept yet
    await page.click('[data-testid=sweep-add]');
    await page.selectOption('[data-testid=sweep-key]', 'hidden_size');
    await page.fill('[data-testid=sweep-values]', '16, 3x');
    await expect.poll(() => text('[data-testid=sweep-issue]')).toMatch(/^hidden_size=3x: /);
    expect(await page.isDisabled('[data-testid=sweep-launch]')).toBe(true);
    await page.fill('[data-testid=sweep-values]', '16, 32');
    await page.fill('[data-testid=sweep-seeds]', '1');
    await expect.poll(() => text('[data-testid=sweep-count]')).toBe('2 hidden_size × 1 seed = 2 runs');
    expect(await text('[data-testid=sweep-launch]')).toBe('Queue sweep (2 runs)');
    // the swept options show where their values come from
    expect(await text('[data-testid=swept-hidden_size]')).toBe('swept');
    expect(await text('[data-testid=swept-random_seed]')).toBe('swept');
    await page.fill('[data-testid=launch-name]', 'tiny');
    await page.locator('[data-testid=launch-form]').screenshot({ path: join(SCREENSHOTS, 'launch-sweep-form.png') });

    await page.click('[data-testid=sweep-launch]');
    await expect.poll(() => text('[data-testid=launch-notice]')).toMatch(/“tiny”: 2 runs queued/);
    await page.click('[data-testid=new-run]'); // closes the form
  }, 120_000);

  it('the queue trains both runs of the sweep', async () => {
    const done = page.locator('[data-testid=run-row][data-status=completed]');
    await expect.poll(() => done.count(), { timeout: 400_000, interval: 2000 }).toBe(2);
    const names = await page.locator('[data-testid=run-row]').allTextContents();
    expect(names.join('\n')).toContain('tiny hidden_size=16 seed=1');
    expect(names.join('\n')).toContain('tiny hidden_size=32 seed=1');
    await shot('runs');
  }, 420_000);

  it('averages the last 2 checkpoints of a run, evaluates the average and opens it in the playground', async () => {
    await page.locator('[data-testid=run-row]').filter({ hasText: 'hidden_size=32' }).locator('a').first().click();
    await page.locator('[data-testid=average-checkpoints]').waitFor();
    await page.fill('[data-testid=average-last]', '2');
    await page.press('[data-testid=average-last]', 'Tab');
    await expect.poll(() => text('[data-testid=average-steps]')).toMatch(/^steps \d+, \d+$/);
    await page.click('[data-testid=average-run]');
    await expect
      .poll(() => page.textContent('[data-testid=average-result]'), { timeout: 120_000 })
      .toMatch(/Saved “averaged last 2” \(steps \d+, \d+\)/);
    await expect
      .poll(() => page.locator('[data-testid=checkpoint-label]').allTextContents())
      .toContain('averaged last 2');

    await page.selectOption('[data-testid=evaluate-checkpoint]', 'averaged');
    await page.click('[data-testid=evaluate-run]');
    const rows = page.locator('[data-testid=evaluation-row]');
    await expect.poll(() => rows.count(), { timeout: 120_000 }).toBe(1);
    expect(await rows.first().textContent()).toMatch(/BLEU [\d.]+ · chrF [\d.]+.* · averaged · beam 1/);
    await page.locator('[data-testid=run-checkpoints]').scrollIntoViewIfNeeded();
    await shot('averaged');

    await page.click('[data-testid=average-result] a');
    await expect.poll(() => page.inputValue('[data-testid=pg-checkpoint]')).toBe('averaged');
    await page.fill('[data-testid=pg-input]', 'thank you');
    await expect.poll(() => page.locator('[data-testid=nbest-row]').count(), { timeout: 60_000 }).toBe(1);
    await shot('playground');
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
