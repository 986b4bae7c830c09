import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { openDb } from '../src-main/core/store/db.ts';
import type { RunningServer } from '../src-main/server/server.ts';
import { closeBrowserApp, openBrowserApp } from './support/browser-app.ts';
import { SCREENSHOTS } from './support/browser.ts';
import { connect, type WsClient } from './support/ws-client.ts';
import { makeRun, tempDb } from './inference-fixtures.ts';

/**
 * "Curate from errors" in the real renderer (Chromium, browser mode): words selected in a Playground
 * output and in a Compare side-by-side cell open the training pairs of the run's dataset that hold them,
 * marked; one is edited and another tagged on the spot. Screenshots: curate-playground.png,
 * curate-playground-edit.png, curate-compare.png.
 */
let server: RunningServer;
let browser: Browser;
let page: Page;
let ws: WsClient;
let dbPath = '';
let datasetId = 0;
let datasetName = '';
const runIds: number[] = [];
let pageErrors: string[] = [];

beforeAll(async () => {
  const made = tempDb();
  dbPath = made.dbPath;
  const db = made.db;
  const dataset = await getDatasetByName(db, 'builtin:sample');
  datasetId = dataset.id;
  datasetName = dataset.name;
  for (const seed of [1, 2]) {
    const { runId } = await makeRun(db, {}, [{ step: 10, bleu: 3, seed }]);
    db.prepare('UPDATE runs SET dataset_id = ?, dataset_name = ? WHERE id = ?').run(dataset.id, dataset.name, runId);
    runIds.push(runId);
  }
  db.close();
  ({ server, browser, page, pageErrors } = await openBrowserApp(dbPath, { viewport: { width: 1440, height: 1000 } }));
  ws = await connect(server.origin, server.token);
}, 120_000);

afterAll(async () => {
  ws?.close();
  await closeBrowserApp({ server, browser });
});

/** The first `n` words of an element's text; with `select`, selected as a user would, the mouse let go there. */
async function firstWords(selector: string, n: number, select = false): Promise<string> {
  // The page's code as text: this file is type-checked for Node, which has no DOM types.
  const body = `(el, [count, doSelect]) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode();
    while (node && !node.textContent?.trim()) node = walker.nextNode();
    const text = node?.textContent ?? '';
    const start = text.search(/\\S/u);
    const words = text.slice(start).split(/\\s+/u).slice(0, count).join(' ');
    if (doSelect) {
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + words.length);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    }
    return words;
  }`;
  const inPage = new Function('el', 'arg', `return (${body})(el, arg);`) as (el: unknown, arg: unknown) => string;
  return page.locator(selector).first().evaluate(inPage, [n, select]);
}

/** Two pairs whose targets hold `words` (twice: they rank first), added beside the dataset's own, as the app adds. */
async function plant(words: string): Promise<number[]> {
  const { pairIds } = await ws.call('pairs.edit', {
    name: datasetName,
    label: 'plant',
    changes: [
      { op: 'insert', source: 'Planted one.', target: `${words} ${words}` },
      { op: 'insert', source: 'Planted two.', target: `${words}, ${words}` },
    ],
  });
  return pairIds;
}

describe('curate from errors', () => {
  it('selects words of a Playground output: the training pairs holding them, edited and tagged there', async () => {
    await page.goto(`${server.url}#/playground?run=${runIds[0]}`);
    await page.fill('[data-testid=pg-input]', 'how are you');
    const best = page.locator('[data-testid=pg-best]');
    await expect
      .poll(async () => (await best.count()) && (await best.textContent())?.trim(), { timeout: 30_000 })
      .toBeTruthy();
    // Two pairs holding the output's first two words are planted; then the words are selected.
    const words = await firstWords('[data-testid=pg-best]', 2);
    expect(words.split(' ')).toHaveLength(2);
    const [one, two] = await plant(words);
    expect(await firstWords('[data-testid=pg-best]', 2, true)).toBe(words);
    const panel = page.locator('[data-testid=training-pairs]');
    await panel.locator(`[data-testid=tp-row][data-pair="${one}"]`).waitFor({ timeout: 15_000 });
    expect(await panel.locator('h3').textContent()).toContain(words);
    // The words are marked (two instances next to each other are one mark; punctuation is not a word).
    const bare = (t: string) => t.replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ').trim();
    const marked = await panel.locator(`[data-pair="${one}"] mark`).allTextContents();
    expect(bare(marked.join(' '))).toContain(bare(words));
    await page.screenshot({ path: join(SCREENSHOTS, 'curate-playground.png'), fullPage: true });

    // Edit the first pair's target on the spot; tag the second.
    const row = panel.locator(`[data-testid=tp-row][data-pair="${one}"]`);
    await row.locator('[data-testid=tp-edit]').click();
    await row.locator('[data-testid=tp-edit-target]').fill(`${words} ठीक किया`);
    await row.locator('[data-testid=tp-save]').click();
    await expect.poll(() => panel.locator('[data-testid=tp-message]').textContent()).toContain(`pair ${one} saved`);
    const second = panel.locator(`[data-testid=tp-row][data-pair="${two}"]`);
    await second.locator('[data-testid=tp-tag]').fill('misaligned');
    await second.locator('[data-testid=tp-tag]').press('Enter');
    await expect.poll(() => second.locator('.chip').allTextContents()).toEqual(['misaligned']);
    await page.screenshot({ path: join(SCREENSHOTS, 'curate-playground-edit.png'), fullPage: true });
    const db = openDb(dbPath);
    const get = db.prepare('SELECT target, tags FROM pairs WHERE id = ?');
    expect(get.get(one)).toMatchObject({ target: `${words} ठीक किया` });
    expect(get.get(two)).toMatchObject({ tags: 'misaligned' });
    // Each is one undoable edit in the dataset's history.
    const labels = db.prepare('SELECT label FROM edit_groups WHERE dataset_id = ? ORDER BY id').pluck().all(datasetId);
    expect(labels.slice(-2)).toEqual([`edit pair ${one} (from an output's words)`, `tag pair ${two} +misaligned`]);
    db.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("selects words of a run's output in Compare's side by side: that run's training pairs", async () => {
    await page.goto(`${server.url}#/compare?runs=${runIds.join(',')}`);
    await page.fill('[data-testid=sbs-sources]', 'how are you\nthank you');
    await page.click('[data-testid=sbs-translate]');
    const cell = `[data-testid=sbs-table] td[data-run="${runIds[1]}"]`;
    await page.locator(cell).first().waitFor({ timeout: 30_000 });
    const word = await firstWords(cell, 1);
    const [one] = await plant(word);
    expect(await firstWords(cell, 1, true)).toBe(word);
    const panel = page.locator('[data-testid=training-pairs]');
    await panel.locator(`[data-testid=tp-row][data-pair="${one}"]`).waitFor({ timeout: 15_000 });
    expect(await panel.locator('h3').textContent()).toContain(datasetName);
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'curate-compare.png'), fullPage: true });
    await panel.locator('[data-testid=tp-close]').click();
    expect(await panel.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
