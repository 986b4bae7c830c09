import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererDir } from '../src-main/server/renderer-build.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { startServer, type RunningServer } from '../src-main/server/server.ts';
import { connect, failure, type WsClient } from './support/ws-client.ts';

/**
 * The contract over browser mode's WebSocket, as the renderer uses it:
 * inputs validated at the edge, typed errors, progress events, cancel, and
 * an import that cannot take other work down with it.
 */
let server: RunningServer;
let api: WsClient;
const dbPath = join(mkdtempSync(join(tmpdir(), 'wb-api-')), 'experiments.db');

beforeAll(async () => {
  server = await startServer({ dbPath, rendererDir });
  api = await connect(server.origin, server.token);
});
afterAll(async () => {
  api?.close();
  await server?.close();
});

/** Tab-separated pairs, `n` of them, as a dropped file's text. */
function tsv(n: number, word: string): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`${word} ${i}\tनमस्ते ${i}`);
  return lines.join('\n') + '\n';
}

describe('the contract over the socket', () => {
  it('refuses unknown channels and invalid input with a typed error naming the field', async () => {
    expect(await failure(api.raw('datasets.drop', {}))).toMatchObject({
      code: 'bad_input',
      where: { field: 'channel' },
    });
    expect(await failure(api.raw('pairs.list', { name: 'x', limit: 5000 }))).toMatchObject({
      code: 'bad_input',
      where: { field: 'limit' },
    });
    expect(await failure(api.raw('runs.get', { id: 'one' }))).toMatchObject({
      code: 'bad_input',
      where: { field: 'id' },
    });
    const missing = await failure(api.call('datasets.stats', { name: 'nope' }));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toContain('nope');
  });

  it('imports an uploaded file with progress events, then pages, edits and undoes', async () => {
    const r = await api.call('datasets.import', {
      name: 'up',
      fileName: 'up.tsv',
      content: tsv(3000, 'hello'),
      jobId: 'job-up',
    });
    expect(r.pairs).toBe(3000);
    expect((await api.call('datasets.list', {})).map((d) => [d.name, d.pairCount])).toContainEqual(['up', 3000]);
    const page = await api.call('pairs.list', { name: 'up', search: 'hello 2999', limit: 10 });
    expect(page.rows.map((p) => p.source)).toEqual(['hello 2999']);
    await api.call('pairs.edit', {
      name: 'up',
      label: 'fix',
      changes: [{ op: 'update', pairId: page.rows[0].id, target: 'नमस्कार' }],
    });
    expect((await api.call('pairs.list', { name: 'up', search: 'hello 2999' })).rows[0].target).toBe('नमस्कार');
    expect((await api.call('pairs.undo', { name: 'up' }))?.label).toBe('fix');
    expect((await api.call('pairs.list', { name: 'up', search: 'hello 2999' })).rows[0].target).toBe('नमस्ते 2999');
  });

  it(
    'imports a line-aligned pair of uploads; a bad upload is ' +
      "refused naming the user's file and line; no paths in a browser",
    async () => {
      const r = await api.call('datasets.import', {
        name: 'pair',
        uploads: [
          { fileName: 'talk.en', content: 'hello\nthank you\n' },
          { fileName: 'talk.hi', content: 'नमस्ते\nधन्यवाद\n' },
        ],
        jobId: 'job-pair',
      });
      expect(r.pairs).toBe(2);
      expect((await api.call('pairs.list', { name: 'pair' })).rows.map((p) => [p.source, p.target])).toEqual([
        ['hello', 'नमस्ते'],
        ['thank you', 'धन्यवाद'],
      ]);
      const bad = await failure(
        api.call('datasets.import', {
          name: 'bad',
          fileName: 'mine.tsv',
          content: 'a\tb\nno tab here\n',
          jobId: 'job-bad',
        }),
      );
      expect(bad).toMatchObject({ code: 'bad_input', where: { file: 'mine.tsv', line: 2 } });
      expect(bad.message).toMatch(/^mine\.tsv:2: /);
      expect((await api.call('datasets.list', {})).map((d) => d.name)).not.toContain('bad');
      expect(await failure(api.call('files.pick', {}))).toMatchObject({ code: 'unsupported' });
    },
  );

  it('a cancelled import leaves nothing, and an edit made meanwhile waits and survives the rollback', async () => {
    const jobId = 'job-big';
    const big = api.call('datasets.import', {
      name: 'big',
      fileName: 'big.tsv',
      content: tsv(400_000, 'good morning'),
      jobId,
    });
    await api.waitForEvent((e) => e.type === 'job.progress' && e.jobId === jobId);
    // Mid-import: reads answer from committed data; a write queues behind the import.
    expect((await api.call('datasets.list', {})).map((d) => d.name)).not.toContain('big');
    const target = (await api.call('pairs.list', { name: 'up', search: 'hello 7', limit: 1 })).rows[0];
    const edit = api.call('pairs.edit', {
      name: 'up',
      label: 'during import',
      changes: [{ op: 'update', pairId: target.id, target: 'सात' }],
    });
    expect(await api.call('jobs.cancel', { jobId })).toEqual({ cancelled: true });
    expect(await failure(big)).toMatchObject({ code: 'cancelled' });
    await edit;
    expect((await api.call('datasets.list', {})).map((d) => d.name)).not.toContain('big');
    expect((await api.call('pairs.list', { name: 'up', search: 'hello 7', limit: 1 })).rows[0].target).toBe('सात');
  }, 60_000);

  it('launches a tiny run, streams its progress and final status, and refuses to cancel it once done', async () => {
    const run = await api.call('runs.launch', {
      preset: 'tutorial',
      config: { dataset: 'builtin:tutorial', max_epochs: 5 },
    });
    const done = await api.waitForEvent((e) => e.type === 'run.status' && e.runId === run.id, 120_000);
    expect(done).toMatchObject({ status: 'completed' });
    const progress = api.events.filter((e) => e.type === 'run.progress' && e.runId === run.id);
    expect(progress.length).toBeGreaterThan(0);
    const detail = await api.call('runs.get', { id: run.id });
    expect(detail.metrics['train/loss']?.length).toBeGreaterThan(0);
    expect(detail.checkpoints.length).toBeGreaterThan(0);
    expect(await failure(api.call('runs.cancel', { id: run.id }))).toMatchObject({ code: 'conflict' });
    const [t] = await api.call('playground.translate', {
      runId: run.id,
      texts: ['hello'],
      settings: { beam_size: 2, n_best: 2 },
    });
    expect(t.hypotheses).toHaveLength(2);

    // Model export: a zip to download in a browser; a folder needs the desktop's folder picker.
    const zip = await api.call('export.model', { runId: run.id });
    expect(Buffer.from(zip.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
    expect(await failure(api.call('export.model', { runId: run.id, format: 'folder' }))).toMatchObject({
      code: 'unsupported',
      where: { field: 'format' },
    });
    const parent = mkdtempSync(join(tmpdir(), 'wb-folder-'));
    const desktop = new WorkbenchService({
      db: openDb(dbPath),
      dbPath,
      door: 'electron',
      emit: () => {},
      chooseFolder: async () => parent,
    });
    const folder = (await desktop.dispatch('export.model', { runId: run.id, format: 'folder' })) as { savedTo: string };
    expect(folder.savedTo.startsWith(parent)).toBe(true);
    expect(readdirSync(folder.savedTo)).toEqual(expect.arrayContaining(['model.json', 'metrics.json', 'README.md']));
  }, 150_000);
});
