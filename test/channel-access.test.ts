import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_ACCESS } from '../src-main/common/channel-access.ts';
import { schemas } from '../src-main/common/contract.ts';
import { startServer, type RunningServer } from '../src-main/server/server.ts';
import { connect, failure } from './support/ws-client.ts';

let server: RunningServer;
const readToken = 'read-only-token-for-the-test';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wb-access-'));
  // The socket is the point: a one-file page stands in for the built renderer.
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  server = await startServer({ dbPath: join(dir, 'x.db'), rendererDir: dir, readToken });
});
afterAll(() => server.close());

describe('read and write channels', () => {
  it('every channel of the contract is declared read or write, and nothing else is', () => {
    expect(Object.keys(CHANNEL_ACCESS).sort()).toEqual(Object.keys(schemas).sort());
  });

  it('a read-only link reads but cannot change anything; the full token can', async () => {
    expect(server.readOnlyUrl).toBe(`${server.origin}/?token=${readToken}`);
    const viewer = await connect(server.origin, readToken);
    const owner = await connect(server.origin, server.token);
    try {
      expect(await viewer.call('runs.list', {})).toEqual([]);
      expect(await viewer.call('datasets.list', {})).toEqual([]);
      const refused = await failure(viewer.call('datasets.delete', { name: 'nope' }));
      expect(refused).toMatchObject({ code: 'unsupported', where: { field: 'channel' } });
      expect(refused.message).toBe(
        'datasets.delete changes the workbench: this page was opened with the read-only link',
      );
      expect((await failure(viewer.call('runs.setNotes', { id: 1, notes: 'x' }))).code).toBe('unsupported');
      // The owner's request reaches the service (which finds no such dataset).
      expect((await failure(owner.call('datasets.delete', { name: 'nope' }))).code).toBe('not_found');
      // An unknown channel is the service's to name, for either token.
      expect((await failure(viewer.raw('no.such', {}))).message).toBe('unknown channel "no.such"');
    } finally {
      viewer.close();
      owner.close();
    }
  });

  it('a page opened with the read-only link keeps that token in its cookie, never the full one', async () => {
    const res = await fetch(server.readOnlyUrl as string);
    expect(res.status).toBe(200);
    const port = new URL(server.origin).port;
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^wb_token_${port}=${readToken}; HttpOnly`));
    expect((await fetch(server.url)).headers.get('set-cookie')).toContain(`=${server.token};`);
  });
});
