// Filter preview speed (issue 15): the acceptance pipeline (script ID + length ratio + dedup) on the 18k
// iitb-sample pairs (under 1 s) and on 1M generated pairs (under 10 s), first preview (measures every pair)
// and a threshold change afterwards; the language filter's extra pass on its own.
//   npm run bench -- filters [--pairs=1000000]
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilterPipelineSchema, type FilterSpecInput } from '../src-main/common/filters.ts';
import { previewFilters } from '../src-main/core/data/filters/preview.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { Rng } from '../src-main/core/rng.ts';
import { openDb } from '../src-main/core/store/db.ts';
import type { Db } from '../src-main/core/store/db.ts';

const big = Number(process.argv.find((a) => a.startsWith('--pairs='))?.slice(8) ?? 1_000_000);
const shared = new URL('../../shared/data/', import.meta.url).pathname;
const enFile = join(shared, 'iitb-sample.en');
const hiFile = join(shared, 'iitb-sample.hi');
if (!existsSync(enFile)) {
  console.log(`bench filters: ${enFile} not found (it lives in ../shared/data beside the checkout)`);
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-filters-'));
const pipeline = (maxRatio: number, ...extra: FilterSpecInput[]) =>
  FilterPipelineSchema.parse([{ kind: 'script' }, { kind: 'length_ratio', maxRatio }, { kind: 'duplicate' }, ...extra]);

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1e6;
}

function measure(db: Db, datasetId: number, what: string, maxRatio: number, ...extra: FilterSpecInput[]): void {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const p = previewFilters(db, datasetId, pipeline(maxRatio, ...extra), { sampleLimit: 50 });
  const ms = performance.now() - t0;
  const counts = p.filters.map((f) => `${f.kind} ${f.removed}`).join(', ');
  console.log(
    `  ${what.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms (${(cpuSeconds(cpu0) * 1000).toFixed(0)} CPU ms): ` +
      `keep ${p.kept.toLocaleString()} of ${p.total.toLocaleString()} (${counts})`,
  );
}

function run(db: Db, datasetId: number, label: string): void {
  console.log(`${label} (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores):`);
  measure(db, datasetId, 'first preview (measures pairs)', 3.5);
  measure(db, datasetId, 'max ratio 3.5 -> 2.5', 2.5);
  measure(
    db,
    datasetId,
    '+ near_duplicate, copy, numbers',
    2.5,
    { kind: 'near_duplicate' },
    { kind: 'copy' },
    {
      kind: 'numbers',
    },
  );
  measure(db, datasetId, '+ language (first: its own pass)', 2.5, { kind: 'language' });
  measure(db, datasetId, '+ language again', 3, { kind: 'language' });
}

const en = readFileSync(enFile, 'utf8').split('\n');
const hi = readFileSync(hiFile, 'utf8').split('\n');
if (en.at(-1) === '') en.pop();
if (hi.at(-1) === '') hi.pop();

// 1. the 18k noisy IITB pairs as they are (line-aligned files, imported as moses)
const db = openDb(join(dir, 'bench.db'));
const sample = await importDataset(db, { name: 'iitb', files: [enFile, hiFile], format: 'moses' });
run(db, sample.datasetId, `iitb-sample: ${sample.pairs.toLocaleString()} pairs`);

// 2. generated pairs: the IITB pairs again and again, most with a few words changed (a random word of the
// sample's vocabulary in each side), one in ten an exact copy, so every filter has work of a realistic kind.
const rng = new Rng(15);
const enWords = [...new Set(en.join(' ').split(/\s+/))].filter(Boolean);
const hiWords = [...new Set(hi.join(' ').split(/\s+/))].filter(Boolean);
const pick = (words: string[]) => words[Math.floor(rng.next() * words.length)];
const change = (line: string, words: string[]) => {
  const w = line.split(' ');
  w[Math.floor(rng.next() * w.length)] = pick(words);
  return w.join(' ');
};
const file = join(dir, 'big.tsv');
const out = createWriteStream(file);
for (let k = 0; k < big; k++) {
  const j = k % en.length;
  const copy = k < en.length || rng.next() < 0.1;
  const s = copy ? en[j] : change(en[j], enWords);
  const t = copy ? hi[j] : change(hi[j], hiWords);
  if (!out.write(`${s.replace(/\t/g, ' ')}\t${t.replace(/\t/g, ' ')}\n`))
    await new Promise<void>((r) => out.once('drain', () => r()));
}
await new Promise((r) => out.end(r));
const t0 = performance.now();
const gen = await importDataset(db, { name: 'generated', files: [file], format: 'tsv', skipBad: true });
console.log(
  `(imported ${gen.pairs.toLocaleString()} generated pairs in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);
run(db, gen.datasetId, `generated: ${gen.pairs.toLocaleString()} pairs`);
console.log(`peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
db.close();
rmSync(dir, { recursive: true, force: true });
