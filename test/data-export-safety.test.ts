import { spawn } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '../src-main/core/data/export.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { Rng } from '../src-main/core/rng.ts';

/**
 * `dataset export NAME <the store>` overwrote the store, and an export killed
 * mid-write left a truncated file. Exports now refuse the store, its side files
 * and its runs/ folder (by real path, through symbolic and hard links), and write
 * a temporary beside the target that is renamed over it when complete.
 */
const tmp = () => mkdtempSync(join(tmpdir(), 'wb-export-'));

async function storeWith(dir: string, dbName = 'experiments.db', pairs = 50): Promise<{ db: Db; dbPath: string }> {
  const dbPath = join(dir, dbName);
  const db = openDb(dbPath);
  for (const name of ['a', 'b']) {
    const f = join(dir, `${name}.tsv`);
    const n = name === 'a' ? pairs : Math.ceil(pairs * 1.5);
    writeFileSync(
      f,
      Array.from({ length: n }, (_, i) => `${name} sentence ` + `${i}\t${name} वाक्य ${i}`).join('\n') + '\n',
    );
    await importDataset(db, { name, files: [f] });
  }
  return { db, dbPath };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pairCount = (db: Db) => (db.prepare('SELECT count(*) AS n FROM pairs').get() as { n: number }).n;

describe('dataset export never writes over the store', () => {
  it(
    'refuses the store file, its -wal/-shm/-journal, a symbolic ' +
      'or hard link to it, and the runs folder, naming the path',
    async () => {
      const dir = tmp();
      const { db, dbPath } = await storeWith(dir);
      const before = pairCount(db);
      mkdirSync(join(dir, 'runs', '1'), { recursive: true });
      symlinkSync(dbPath, join(dir, 'link.db'));
      linkSync(dbPath, join(dir, 'hard.db'));
      mkdirSync(join(dir, 'elsewhere'));
      symlinkSync(dir, join(dir, 'elsewhere', 'store-folder'));
      const refused: Array<[string, string]> = [
        [dbPath, 'is the workbench store'],
        [`${dbPath}-wal`, "is the workbench store's wal file"],
        [`${dbPath}-shm`, "is the workbench store's shm file"],
        [`${dbPath}-journal`, "is the workbench store's journal file"],
        [join(dir, 'link.db'), 'is the workbench store'],
        [join(dir, 'hard.db'), 'is the workbench store'],
        [join(dir, 'elsewhere', 'store-folder', 'experiments.db'), 'is the workbench store'],
        [join(dir, 'runs', '1', 'pairs.tsv'), "lies inside the store's runs folder"],
        [join(dir, 'runs'), 'is a folder'],
      ];
      for (const [target, why] of refused) {
        await expect(exportDataset(db, 'a', target, 'tsv'), target).rejects.toThrow(
          expect.objectContaining({ code: 'bad_input', message: expect.stringContaining(`${target}: ${why}`) }),
        );
      }
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(pairCount(db)).toBe(before);
      expect(readdirSync(join(dir, 'runs', '1'))).toEqual([]);
    },
  );

  it('refuses moses files whose .en/.hi name is the store (X.en, X.hi)', async () => {
    const dir = tmp();
    const { db, dbPath } = await storeWith(dir, 'corpus.hi');
    await expect(exportDataset(db, 'a', join(dir, 'corpus'), 'moses')).rejects.toThrow(
      `${dbPath}: is the workbench store`,
    );
    expect(existsSync(join(dir, 'corpus.en'))).toBe(false); // nothing half-written either
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('names a missing folder and a folder given as the file (no bare ENOENT/EISDIR)', async () => {
    const dir = tmp();
    const { db } = await storeWith(dir);
    const missing = join(dir, 'no', 'such', 'out.tsv');
    await expect(exportDataset(db, 'a', missing, 'tsv')).rejects.toThrow(
      expect.objectContaining({
        code: 'bad_input',
        message: `${missing}: the folder ${join(dir, 'no', 'such')} does not exist`,
      }),
    );
    mkdirSync(join(dir, 'out.tsv'));
    await expect(exportDataset(db, 'a', join(dir, 'out.tsv'), 'tsv')).rejects.toThrow(
      expect.objectContaining({ code: 'bad_input', message: `${join(dir, 'out.tsv')}: is a folder; give a file name` }),
    );
  });

  it(
    'writes through a symbolic link to the file it names, keeps ' +
      'its permissions, and leaves no temporary file behind',
    async () => {
      const dir = tmp();
      const { db } = await storeWith(dir);
      writeFileSync(join(dir, 'real.tsv'), 'old', { mode: 0o600 });
      symlinkSync(join(dir, 'real.tsv'), join(dir, 'link.tsv'));
      await exportDataset(db, 'a', join(dir, 'link.tsv'), 'tsv');
      expect(readFileSync(join(dir, 'real.tsv'), 'utf8')).toMatch(/^en\thi\tattribution\na sentence 0\t/);
      expect(statSync(join(dir, 'real.tsv')).mode & 0o777).toBe(0o600); // the replaced file keeps its permissions
      expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    },
  );
});

describe('dataset export under kill -9', () => {
  it('the target is always the old complete file or the new complete file, never truncated', async () => {
    const dir = tmp();
    const { db, dbPath } = await storeWith(dir, 'experiments.db', 20_000);
    const complete = new Set<string>();
    for (const name of ['a', 'b']) {
      await exportDataset(db, name, join(dir, `${name}-whole.tsv`), 'tsv');
      complete.add(readFileSync(join(dir, `${name}-whole.tsv`), 'utf8'));
    }
    db.close();
    const target = join(dir, 'out.tsv');
    const rng = new Rng(20260501);
    let killedMidWrite = 0;
    const KILLS = 5;
    for (let k = 0; k < KILLS; k++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/export-loop.ts', dbPath, target, 'tsv'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise<string | null>((r) => child.on('exit', (_code, signal) => r(signal)));
      await new Promise<void>((r) => child.stdout.once('data', () => r()));
      // Every other kill waits for a write to be under way; the others land at any moment of the cycle
      // (checking the data, writing, renaming, between two exports).
      if (k % 2 === 0) {
        for (
          const until = Date.now() + 3000;
          Date.now() < until && !readdirSync(dir).some((n) => n.startsWith('.out.tsv.tmp-'));
        )
          await sleep(2);
        await sleep(rng.int(40));
      } else await sleep(rng.int(600));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(complete.has(readFileSync(target, 'utf8'))).toBe(true);
      const others = readdirSync(dir).filter((n) => n.startsWith('.out.tsv.tmp-'));
      if (others.length > 0) killedMidWrite++;
      // What else is there is only hidden temporaries, never a file posing as the target.
      expect(readdirSync(dir).filter((n) => n.startsWith('out.tsv'))).toEqual(['out.tsv']);
    }
    expect(killedMidWrite).toBeGreaterThan(0); // the kills did land mid-write
    // The next export clears the dead writers' temporaries.
    await exportDataset(openDb(dbPath), 'a', target, 'tsv');
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  }, 60_000);
});
