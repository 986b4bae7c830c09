import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../src-main/common/config.ts';
import { Bpe, joinPieces } from '../src-main/core/text/bpe.ts';
import { TextPipeline } from '../src-main/core/text/pipeline.ts';
import { detokenize, tokenize } from '../src-main/core/text/tokenize.ts';
import { EOS_ID, Vocab } from '../src-main/core/text/vocab.ts';

const tatoeba = readFileSync(new URL('./fixtures/tatoeba-findings.tsv', import.meta.url), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'))
  .map(([source, target]) => ({ source, target }));

describe('tokenize', () => {
  it('keeps Devanagari marks on their base and splits danda', () => {
    expect(tokenize('मैं ठीक हूँ।', { lang: 'hi', level: 'word' })).toEqual(['मैं', 'ठीक', 'हूँ', '।']);
    expect(tokenize('क्षमा करें॥', { lang: 'hi', level: 'word' })).toEqual(['क्षमा', 'करें', '॥']);
    expect(tokenize('ज़िंदगी', { lang: 'hi', level: 'char' })).toEqual(['ज़िं', 'द', 'गी']);
  });

  it('NFC: a decomposed nukta gives the same token as the precomposed letter', () => {
    const decomposed = 'ज\u093Cरूर';
    const precomposed = '\u095Bरूर';
    expect(tokenize(decomposed, { lang: 'hi', level: 'word' })).toEqual(
      tokenize(precomposed, { lang: 'hi', level: 'word' }),
    );
  });

  it('keeps numbers, ZWJ and inner apostrophes whole', () => {
    expect(tokenize("It's 3.14, not 1,000!", { lang: 'en', level: 'word', lowercase: true })).toEqual([
      "it's",
      '3.14',
      ',',
      'not',
      '1,000',
      '!',
    ]);
    expect(tokenize('२०२४ में', { lang: 'hi', level: 'word' })).toEqual(['२०२४', 'में']);
    expect(tokenize('क्\u200Dष', { lang: 'hi', level: 'word' })).toEqual(['क्\u200Dष']);
  });

  it('detokenize restores natural spacing on at least 98% of real Tatoeba lines', () => {
    let same = 0;
    for (const p of tatoeba) {
      for (const [text, lang] of [
        [p.source, 'en'],
        [p.target, 'hi'],
      ] as const) {
        if (
          detokenize(tokenize(text, { lang, level: 'word' }), { lang, level: 'word' }) === text.normalize('NFC').trim()
        )
          same++;
      }
    }
    expect(same / (2 * tatoeba.length)).toBeGreaterThan(0.98);
  });

  it('char level round-trips exactly', () => {
    for (const p of tatoeba.slice(0, 200)) {
      const t = p.target.normalize('NFC').trim().replace(/\s+/g, ' ');
      expect(detokenize(tokenize(t, { lang: 'hi', level: 'char' }), { lang: 'hi', level: 'char' })).toBe(t);
    }
  });
});

describe('vocab and BPE', () => {
  it('vocab is deterministic, frequency-ranked, limited, with specials first', () => {
    const v = Vocab.build(
      [
        ['b', 'a', 'b'],
        ['c', 'a', 'b'],
      ],
      { maxSize: 6 },
    );
    expect(v.tokens).toEqual(['<pad>', '<sos>', '<eos>', '<unk>', 'b', 'a']);
    expect(v.encode(['a', 'zzz'])).toEqual([5, 3]);
    expect(Vocab.fromJSON(v.toJSON()).tokens).toEqual(v.tokens);
    expect(Vocab.build([['x', 'y', 'y']], { minFreq: 2 }).has('x')).toBe(false);
  });

  it('BPE never splits a matra off its consonant and round-trips', () => {
    const words = tatoeba.flatMap((p) => tokenize(p.target, { lang: 'hi', level: 'word' }));
    const bpe = Bpe.learn(words, 500);
    expect(Bpe.learn(words, 500).merges).toEqual(bpe.merges);
    for (const w of words.slice(0, 2000)) {
      const pieces = bpe.segmentWord(w);
      expect(joinPieces(pieces)).toEqual([w]);
      for (const p of pieces) expect(p).not.toMatch(/^[\u093E-\u094D]/u);
    }
  });

  it('pipeline fits, encodes, decodes and serialises', () => {
    const config = buildRunConfig({ overrides: { dataset: 'x', level: 'bpe', bpe_merges: 300 } });
    const pipe = TextPipeline.fit(tatoeba, config);
    const ids = pipe.encodeTarget('मैं ठीक हूँ।');
    expect(pipe.decodeTarget([...ids, EOS_ID, 7]).text).toBe('मैं ठीक हूँ।');
    const again = TextPipeline.fromJSON(JSON.parse(JSON.stringify(pipe.toJSON())));
    expect(again.encodeSource('How are you?')).toEqual(pipe.encodeSource('How are you?'));
  });
});
