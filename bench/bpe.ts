/**
 * Joint BPE learning speed at corpus scale, and how rare <unk> is (prints figures; not a test).
 * Run: npm run bench -- bpe [--sentences=1000000] [--merges=8000] [--vocab=8000]
 * Reads ../shared/data (never copied into the repo).
 *
 * 1. Speed: the iitb-sample + wikicrowd lines of both languages, repeated to --sentences lines, counted
 *    into words (word-counts.ts) and learned into --merges joint merges (bpe-learn.ts). The r-th repeat
 *    of a line has its words rotated by r, so nearly every line is distinct (the counter's line
 *    de-duplication does not flatter the figure) while the word counts stay those of the real lines. Wall and CPU
 *    seconds are printed apart: this machine's two cores are often shared.
 * 2. <unk>: TextPipeline.fit with joint_vocab on the ~30k real pairs, then the share of FLORES-200
 *    devtest tokens, each side, that encode as <unk>.
 */
import { readFileSync } from 'node:fs';
import { buildRunConfig } from '../src-main/common/config.ts';
import { Bpe } from '../src-main/core/text/bpe.ts';
import { TextPipeline } from '../src-main/core/text/pipeline.ts';
import { UNK_ID } from '../src-main/core/text/vocab.ts';
import { WordCounter } from '../src-main/core/text/word-counts.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) =>
  Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const sentences = arg('sentences', 1_000_000);
const merges = arg('merges', 8000);
const vocab = arg('vocab', 8000);

const data = new URL('../../shared/data/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, data), 'utf8').replace(/\n$/, '').split('\n');
const en = [...read('iitb-sample.en'), ...read('wikicrowd.en')];
const hi = [...read('iitb-sample.hi'), ...read('wikicrowd.hi')];

function timed<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  const [w0, c0] = [performance.now(), process.cpuUsage()];
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - w0) / 1000, cpu: (c.user + c.system) / 1e6 };
}
const secs = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s CPU`;

// ---- 1. speed on `sentences` lines, half English and half Hindi
const rotated = [en, hi].map((lines) =>
  lines.map((l) => {
    const ws = l.split(' ');
    return (r: number) =>
      r % ws.length === 0 ? l : [...ws.slice(r % ws.length), ...ws.slice(0, r % ws.length)].join(' ');
  }),
);
const counted = timed(() => {
  const counters = {
    en: new WordCounter({ lang: 'en', lowercase: false }),
    hi: new WordCounter({ lang: 'hi', lowercase: false }),
  };
  for (let i = 0; i < sentences; i++) {
    const k = i >> 1;
    const r = Math.floor(k / en.length);
    if (i % 2 === 0) counters.en.add(rotated[0][k % en.length](r));
    else counters.hi.add(rotated[1][k % hi.length](r));
  }
  return counters.hi.counts(counters.en.counts());
});
const learned = timed(() => Bpe.learnFromCounts(counted.value, merges));
const total = { wall: counted.wall + learned.wall, cpu: counted.cpu + learned.cpu };
const n = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`${n(sentences)} sentences (${en.length * 2} real lines repeated), ${counted.value.size} word types`);
console.log(`count words            ${secs(counted)}`);
console.log(`learn ${learned.value.merges.length} joint merges ${secs(learned)}`);
console.log(
  `total                  ${secs(total)}: ${n(sentences / total.wall)} sentences/s wall, ` +
    `${n(sentences / total.cpu)} sentences/s CPU`,
);

// ---- 2. <unk> on FLORES-200 devtest with a joint vocabulary learned on the real pairs
const pairs = en.map((source, i) => ({ source, target: hi[i] }));
const config = buildRunConfig({
  overrides: {
    dataset: 'bench',
    level: 'bpe',
    joint_vocab: true,
    bpe_merges: merges,
    src_voc_limit: vocab,
    trg_voc_limit: vocab,
  },
});
const fitted = timed(() => TextPipeline.fit(pairs, config));
const pipe = fitted.value;
console.log(
  `\nTextPipeline.fit on ${pairs.length} pairs (joint, ${merges} merges, limit ${vocab}): ${secs(fitted)}, ` +
    `vocabulary ${pipe.srcVocab.size}`,
);
for (const side of ['en', 'hi'] as const) {
  const lines = read(`flores200-devtest.${side}`);
  const ids = lines.flatMap((l) => (side === 'en' ? pipe.encodeSource(l) : pipe.encodeTarget(l)));
  const unk = ids.filter((id) => id === UNK_ID).length;
  console.log(
    `FLORES-200 devtest ${side}: ${ids.length} tokens (${(ids.length / lines.length).toFixed(1)} a sentence), ` +
      `<unk> ${unk} = ${((100 * unk) / ids.length).toFixed(3)}%`,
  );
}
