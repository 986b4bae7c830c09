import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../src-main/common/config.ts';
import { TextPipeline } from '../src-main/core/text/pipeline.ts';
import { makeValidationSet } from '../src-main/core/train/validate.ts';

/**
 * The sample sentences watched at every validation. The Tatoeba split's validation part starts
 * with "Jump." three times (three translations), "Jump!" and other one-word sentences: taking the
 * first print_valid_sents watched the same short sentence over and over.
 */
const SOURCES = [
  'Jump.',
  'Jump.',
  'Jump!',
  'Jump.',
  'Hi.',
  'Run!',
  'Who are you?',
  'I like tea very much.',
  'She has been reading this long book since early this morning.',
  'Help me.',
  'My brother lives in a small village near the river.',
  'Where is the station?',
];
const pairs = SOURCES.map((source, i) => ({ id: 100 + i, source, target: `लक्ष्य ${i}` }));
const config = parseRunConfig({ dataset: 'test', print_valid_sents: 5 });
const pipeline = TextPipeline.fit(pairs, config);

describe('validation samples', () => {
  it('are distinct sentences (not "Jump." three times), from short to long', () => {
    const set = makeValidationSet(pairs, pipeline, config);
    const picked = set.sampleIdx.map((i) => set.sources[i]);
    expect(picked).toHaveLength(5);
    const key = (s: string) =>
      s
        .toLowerCase()
        .replace(/[\p{P}\s]+/gu, ' ')
        .trim();
    expect(new Set(picked.map(key)).size).toBe(5);
    // spread over the lengths: the shortest and the longest source are both watched
    expect(picked[0].split(' ')).toHaveLength(1);
    expect(picked.at(-1)).toBe('She has been reading this long book since early this morning.');
    const lengths = set.sampleIdx.map((i) => set.examples[i].src.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  });

  it('are deterministic (a resumed run watches the same sentences) and never repeat when there are few', () => {
    expect(makeValidationSet(pairs, pipeline, config).sampleIdx).toEqual(
      makeValidationSet(pairs, pipeline, config).sampleIdx,
    );
    const few = makeValidationSet(pairs.slice(0, 5), pipeline, config); // Jump. ×3, Jump!, Hi.
    expect(few.sampleIdx.map((i) => few.sources[i])).toEqual(['Jump.', 'Hi.']);
    expect(makeValidationSet(pairs, pipeline, { ...config, print_valid_sents: 0 }).sampleIdx).toEqual([]);
  });
});
