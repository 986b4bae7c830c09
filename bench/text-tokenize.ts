/**
 * Tokenization speed on real data (prints figures; not a test).
 * Run: npx tsx bench/text-tokenize.ts
 * Reads ../shared/data (never copied into the repo).
 */
import { readFileSync } from 'node:fs';
import { buildRunConfig } from '../src-main/common/config.ts';
import { TextPipeline } from '../src-main/core/text/pipeline.ts';
import { tokenize } from '../src-main/core/text/tokenize.ts';

const data = new URL('../../shared/data/', import.meta.url);
const pairs = readFileSync(new URL('tatoeba-hin-eng.tsv', data), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'))
  .map(([source, target]) => ({ source, target }));

function time(label: string, fn: () => number, repeats = 5): void {
  fn(); // warm-up: regex compilation and JIT
  const ms: number[] = [];
  let n = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    n = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(48)} median ${ms[Math.floor(ms.length / 2)].toFixed(1)} ms (min ${ms[0].toFixed(1)}), ${n} tokens`,
  );
}

console.log(`Tatoeba: ${pairs.length} pairs`);
const cold = performance.now();
let n = 0;
for (const p of pairs)
  n +=
    tokenize(p.source, { lang: 'en', level: 'word' }).length + tokenize(p.target, { lang: 'hi', level: 'word' }).length;
console.log(
  `${'tokenize both sides, word level, cold (first call)'.padEnd(48)} ` +
    `${(performance.now() - cold).toFixed(1)} ms, ${n} tokens`,
);

for (const level of ['word', 'char'] as const) {
  time(`tokenize both sides, ${level} level`, () => {
    let n = 0;
    for (const p of pairs)
      n += tokenize(p.source, { lang: 'en', level }).length + tokenize(p.target, { lang: 'hi', level }).length;
    return n;
  });
}
for (const level of ['word', 'bpe'] as const) {
  const config = buildRunConfig({ overrides: { dataset: 'bench', level, bpe_merges: 4000 } });
  time(
    `TextPipeline.fit (${level}${level === 'bpe' ? ', 4000 merges' : ''})`,
    () => TextPipeline.fit(pairs, config).trgVocab.size,
    3,
  );
}

// Larger scale: 100k Hindi sentences (the IITB + wikicrowd + NTREX + FLORES Hindi lines, repeated).
const hi = ['iitb-sample', 'wikicrowd', 'ntrex128', 'flores200-devtest'].flatMap((f) =>
  readFileSync(new URL(`${f}.hi`, data), 'utf8').split('\n'),
);
const big = Array.from({ length: 100_000 }, (_, i) => ({ source: 'x', target: hi[i % hi.length] }));
const config = buildRunConfig({ overrides: { dataset: 'bench', level: 'bpe', bpe_merges: 4000 } });
time('TextPipeline.fit on 100k Hindi sentences (bpe 4000)', () => TextPipeline.fit(big, config).trgVocab.size, 1);
