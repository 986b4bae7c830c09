import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { importDataset } from '../src-main/core/data/import.ts';
import { listVersions } from '../src-main/core/data/versions.ts';
import { openDb } from '../src-main/core/store/db.ts';

const TATOEBA = new URL('./fixtures/tatoeba-findings.tsv', import.meta.url).pathname;
const CHILD = new URL('./support/version-kill-child.ts', import.meta.url).pathname;

it('a createVersion killed half way (pairs removed, members half written) leaves the store as before it', async () => {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'wb-version-kill-')), 'store.db');
  const db = openDb(dbPath);
  const { datasetId } = await importDataset(db, { name: 'tat', files: [TATOEBA] });
  const head = () => db.prepare('SELECT id FROM pairs WHERE dataset_id = ? ORDER BY ord').pluck().all(datasetId);
  const before = head();
  db.close();

  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dbPath, 'tat'], { encoding: 'utf8' });
  expect(r.signal).toBe('SIGKILL');
  expect(r.stdout).not.toContain('finished');

  const after = openDb(dbPath);
  expect(after.prepare('SELECT id FROM pairs WHERE dataset_id = ? ORDER BY ord').pluck().all(datasetId)).toEqual(
    before,
  );
  expect(listVersions(after, datasetId).map((v) => v.number)).toEqual([1]);
  expect(after.prepare('SELECT count(*) FROM edit_groups').pluck().get()).toBe(0);
  expect(
    after
      .prepare('SELECT count(*) FROM version_members WHERE version_id <> ?')
      .pluck()
      .get(listVersions(after, datasetId)[0].id),
  ).toBe(0);
  expect(after.prepare('SELECT count(*) FROM pair_archive').pluck().get()).toBe(0);
  after.close();
}, 60_000);
