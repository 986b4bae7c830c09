import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportDataset } from '../../src-main/core/data/export.ts';
import { importDataset } from '../../src-main/core/data/import.ts';
import { Rng } from '../../src-main/core/rng.ts';
import { openDb } from '../../src-main/core/store/db.ts';

/**
 * Fault injection for dataset exports, for bench/store-faults.ts (the suite's
 * kill -9 export test is test/data-export-safety.test.ts): a child exports two
 * datasets in turn to one file, for ever (export-loop.ts), and is killed at a
 * random moment; the file must then be one of the two complete exports, with
 * nothing else posing as it (a dead writer's hidden temporary may remain).
 */
const loop = fileURLToPath(new URL('./export-loop.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ExportFaultRun {
  kills: number;
  /** kills that left a temporary beside the target: the kill landed mid-write */
  midWrite: number;
  problems: string[];
}

export async function exportFaults(
  dir: string,
  opts: { kills: number; pairs: number; seed: number },
): Promise<ExportFaultRun> {
  const dbPath = join(dir, 'export-faults.db');
  const db = openDb(dbPath);
  const complete = new Set<string>();
  for (const [name, n] of [
    ['a', opts.pairs],
    ['b', Math.ceil(opts.pairs * 1.5)],
  ] as const) {
    const f = join(dir, `${name}.tsv`);
    writeFileSync(
      f,
      Array.from({ length: n }, (_, i) => `${name} sentence ` + `${i}\t${name} वाक्य ${i}`).join('\n') + '\n',
    );
    await importDataset(db, { name, files: [f] });
    await exportDataset(db, name, join(dir, `${name}-whole.tsv`), 'tsv');
    complete.add(readFileSync(join(dir, `${name}-whole.tsv`), 'utf8'));
  }
  db.close();
  const target = join(dir, 'out.tsv');
  const rng = new Rng(opts.seed);
  const result: ExportFaultRun = { kills: 0, midWrite: 0, problems: [] };
  for (let k = 0; k < opts.kills; k++) {
    const child = spawn(process.execPath, ['--import', 'tsx', loop, dbPath, target, 'tsv'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    await new Promise<void>((r) => child.stdout.once('data', () => r())); // one export done: the loop is under way
    const afterMs = rng.int(800);
    await sleep(afterMs);
    child.kill('SIGKILL');
    if ((await exited) !== 'SIGKILL') result.problems.push(`kill ${k}: the export loop ended by itself`);
    result.kills++;
    const names = readdirSync(dir);
    if (names.some((n) => n.startsWith('.out.tsv.tmp-'))) result.midWrite++;
    if (!complete.has(readFileSync(target, 'utf8')))
      result.problems.push(`kill ${k} (after ${afterMs} ms): out.tsv is neither complete export`);
    const posing = names.filter((n) => n.startsWith('out.tsv') && n !== 'out.tsv');
    if (posing.length) result.problems.push(`kill ${k}: ${posing.join(', ')} beside the target`);
  }
  return result;
}
