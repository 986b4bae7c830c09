import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererDir } from '../src-main/server/renderer-build.ts';
import { startServer, type RunningServer } from '../src-main/server/server.ts';
import { connect, failure, type WsClient } from './support/ws-client.ts';

/**
 * Browser mode under hostile requests: it reads no file of the server's by path
 * (uploads only, and its refusals say nothing about which paths exist).
 */
let server: RunningServer;
let api: WsClient;
const dir = mkdtempSync(join(tmpdir(), 'wb-bounds-'));

beforeAll(async () => {
  server = await startServer({ dbPath: join(dir, 'experiments.db'), rendererDir });
  api = await connect(server.origin, server.token);
});
afterAll(async () => {
  api?.close();
  await server?.close();
});

describe('browser mode reads no server file by path', () => {
  it('refuses path and paths in datasets.import alike, whether or not the file exists', async () => {
    const real = join(dir, 'pairs.tsv');
    writeFileSync(real, 'hello\tनमस्ते\n');
    const answers = [];
    for (const input of [{ path: real }, { path: join(dir, 'missing.tsv') }, { path: '/etc/passwd', skipBad: true }, { paths: [real] }, { paths: ['/nope/a.en', '/nope/a.hi'] }]) {
      const err = await failure(api.call('datasets.import', { name: 'stolen', jobId: 'j', ...input }));
      expect(err.code).toBe('unsupported');
      answers.push(err.message);
    }
    // One answer for every path: nothing to tell an existing file from a missing one.
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).not.toContain(real);
    expect((await api.call('datasets.list', {})).map((d) => d.name)).not.toContain('stolen');
    // Uploads still work.
    expect((await api.call('datasets.import', { name: 'upload', fileName: 'a.tsv', content: 'hello\tनमस्ते\n', jobId: 'k' })).pairs).toBe(1);
  });
});
