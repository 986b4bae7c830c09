// The full-text index (store/pairs-fts.ts) on 1M pairs: what it costs an import, how long building it for an
// existing store takes (the migration's rebuild), and how fast an n-gram search answers (core/data/ngram-search.ts).
//   npm run bench -- fts [--pairs=1000000] [--queries=300]
// Pairs: sentences of 4-20 words drawn with Zipf frequencies (s = 1) from the English and Hindi words of the
// Tatoeba fixture, so a few words ("है", "the") are in most sentences, as in real text. Queries: 1- to 4-word
// n-grams cut from random pairs' targets (searched on the target side) and sources (on both sides): the words
// a user selects in an output.
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDataset } from '../src-main/core/data/import.ts';
import { NGRAM_RANK_WINDOW } from '../src-main/common/ngram-search.ts';
import { searchPairsByNgram } from '../src-main/core/data/ngram-search.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { rebuildPairsFts } from '../src-main/core/store/pairs-fts.ts';
import { Rng } from '../src-main/core/rng.ts';

const arg = (name: string, dflt: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const n = arg('pairs', 1_000_000);
const queries = arg('queries', 300);

/** The core's seeded generator (mulberry32): the same sequence each run. */
const rng = (seed: number): (() => number) => {
  const r = new Rng(seed);
  return () => r.next();
};
const rand = rng(15);

/** A Zipf sampler over a vocabulary (rank r drawn with weight 1/r). */
function zipf(words: string[]): () => string {
  const cum: number[] = [];
  let total = 0;
  for (let r = 1; r <= words.length; r++) cum.push((total += 1 / r));
  return () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo];
  };
}

/** The fixture's words by frequency, most frequent first. */
function vocabulary(column: number): string[] {
  const counts = new Map<string, number>();
  const text = readFileSync(new URL('../test/fixtures/tatoeba-400.tsv', import.meta.url), 'utf8');
  for (const line of text.split('\n').slice(1)) {
    for (const w of (line.split('\t')[column] ?? '').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [])
      counts.set(w.toLowerCase(), (counts.get(w.toLowerCase()) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
}
const en = zipf(vocabulary(0));
const hi = zipf(vocabulary(1));
const sentence = (word: () => string, end: string) =>
  Array.from({ length: 4 + Math.floor(rand() * 17) }, word).join(' ') + end;

const dir = mkdtempSync(join(tmpdir(), 'wb-bench-fts-'));
const file = join(dir, 'big.tsv');
const out = createWriteStream(file);
for (let i = 0; i < n; i++) {
  if (!out.write(`${sentence(en, '.')}\t${sentence(hi, '।')}\n`))
    await new Promise<void>((r) => out.once('drain', () => r()));
}
await new Promise((r) => out.end(r));
const mib = (statSync(file).size / 2 ** 20).toFixed(0);
console.log(
  `corpus: ${n.toLocaleString()} pairs (${mib} MiB TSV); ` +
    `load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
);

/** Wall and CPU seconds of `f` (on a shared machine the CPU time is the steadier figure). */
async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; wall: number; cpu: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

// 1. Import without the index (its triggers dropped), then build it as the migration does.
const plainDb = openDb(join(dir, 'plain.db'));
plainDb.exec('DROP TRIGGER pairs_fts_insert; DROP TRIGGER pairs_fts_delete; DROP TRIGGER pairs_fts_update');
const plain = await timed(() => importDataset(plainDb, { name: 'bench', files: [file] }));
const build = await timed(() => rebuildPairsFts(plainDb));
plainDb.close();

// 2. Import with the index kept by its triggers (what every import does now).
const db = openDb(join(dir, 'fts.db'));
const indexed = await timed(() => importDataset(db, { name: 'bench', files: [file] }));
const datasetId = indexed.value.datasetId;
const size = (path: string) => statSync(path).size / 2 ** 20;
db.pragma('wal_checkpoint(TRUNCATE)');
const ftsMiB = (
  (db.prepare(`SELECT sum(length(block)) AS b FROM pairs_fts_data`).get() as { b: number }).b /
  2 ** 20
).toFixed(0);

const rate = (s: number) => Math.round(n / s).toLocaleString();
console.log(
  `import without the index: ${plain.wall.toFixed(1)} s wall (${rate(plain.wall)} pairs/s), ` +
    `${plain.cpu.toFixed(1)} CPU s`,
);
console.log(
  `import with the index:    ${indexed.wall.toFixed(1)} s wall (${rate(indexed.wall)} pairs/s), ` +
    `${indexed.cpu.toFixed(1)} CPU s: ` +
    `${(indexed.cpu / plain.cpu).toFixed(2)}x the CPU time, ${(indexed.wall / plain.wall).toFixed(2)}x the wall time`,
);
console.log(
  `index build for an existing store (migration): ${build.wall.toFixed(1)} s wall, ${build.cpu.toFixed(1)} CPU s; ` +
    `index ${ftsMiB} MiB beside a ${size(join(dir, 'fts.db')).toFixed(0)} MiB store`,
);

// 3. Queries: n-grams of random pairs.
function ngrams(db: Db): Array<{ text: string; side: 'target' | 'both'; words: number }> {
  const ids = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM pairs WHERE dataset_id = ?').get(datasetId) as {
    lo: number;
    hi: number;
  };
  const get = db.prepare('SELECT source, target FROM pairs WHERE id = ?');
  return Array.from({ length: queries }, (_, i) => {
    const p = get.get(ids.lo + Math.floor(rand() * (ids.hi - ids.lo + 1))) as { source: string; target: string };
    const side = i % 2 ? 'both' : 'target';
    const words = (side === 'target' ? p.target : p.source).match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
    const len = Math.min(1 + (i % 4), words.length);
    const at = Math.floor(rand() * (words.length - len + 1));
    return { text: words.slice(at, at + len).join(' '), side, words: len };
  });
}
const qs = ngrams(db);
searchPairsByNgram(db, datasetId, qs[0].text, { side: qs[0].side }); // warm the page cache
const times: Array<{ ms: number; cpuMs: number; words: number; total: number }> = [];
for (const q of qs) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const page = searchPairsByNgram(db, datasetId, q.text, { side: q.side, limit: 50 });
  const c = process.cpuUsage(c0);
  times.push({ ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, words: q.words, total: page.total });
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const ms = (xs: number[]) =>
  `p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
const line = (label: string, ts: typeof times) =>
  `${label}: wall ${ms(ts.map((t) => t.ms))}; CPU ${ms(ts.map((t) => t.cpuMs))} ` +
  `(${ts.length} queries; matches: median ${pct(
    ts.map((t) => t.total),
    0.5,
  ).toLocaleString()}, max ${Math.max(...ts.map((t) => t.total)).toLocaleString()}${
    ts.some((t) => t.total >= NGRAM_RANK_WINDOW) ? ' (the rank window)' : ''
  })`;
console.log(line('search, a page of 50 with the total', times));
for (let w = 1; w <= 4; w++)
  console.log(
    line(
      `  ${w}-word n-grams`,
      times.filter((t) => t.words === w),
    ),
  );
db.close();
rmSync(dir, { recursive: true, force: true });
