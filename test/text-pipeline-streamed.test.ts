import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRunConfig, parseOverride } from '../src-main/common/config.ts';
import { TextPipeline } from '../src-main/core/text/pipeline.ts';

const pairs = readFileSync(new URL('./fixtures/tatoeba-400.tsv', import.meta.url), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'))
  .map(([source, target]) => ({ source, target }));

/** The pairs as a store query gives them: each pass a new iterator, one row at a time, no array. */
function queried(rows: typeof pairs) {
  const counter = { passes: 0 };
  const iterable = {
    *[Symbol.iterator]() {
      counter.passes++;
      for (const r of rows) yield { ...r };
    },
  };
  return { iterable, counter };
}

describe('fitting the text pipeline on pairs read from the store', () => {
  it.each([
    ['word', ['level=word']],
    ['word, joint vocabulary', ['level=word', 'joint_vocab=true']],
    ['char', ['level=char']],
    ['bpe', ['level=bpe', 'bpe_merges=300']],
    ['bpe, joint', ['level=bpe', 'bpe_merges=300', 'joint_vocab=true']],
  ])('%s: one pass a side, the pipeline of the pairs in memory', (_, sets) => {
    const overrides = Object.fromEntries(sets.map(parseOverride));
    const config = buildRunConfig({ overrides: { dataset: 'x', ...overrides } });
    const { iterable, counter } = queried(pairs);
    expect(TextPipeline.fit(iterable, config).toJSON()).toEqual(TextPipeline.fit(pairs, config).toJSON());
    expect(counter.passes).toBe(2);
  });
});
