import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../src-main/common/config.ts';
import { Bpe, joinPieces } from '../src-main/core/text/bpe.ts';
import { TextPipeline } from '../src-main/core/text/pipeline.ts';
import { detokenize, tokenize, type Lang } from '../src-main/core/text/tokenize.ts';
import { EOS_ID, PAD_ID, SOS_ID, UNK_ID, Vocab } from '../src-main/core/text/vocab.ts';

/** Tokenization → ids → text on real Tatoeba pairs, per language and level (complements text-tokenize.test.ts). */
const pairs = readFileSync(new URL('./fixtures/tatoeba-400.tsv', import.meta.url), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'))
  .map(([source, target]) => ({ source, target }));
const word = (lang: Lang) => ({ lang, level: 'word' as const });

describe('Hindi and English word tokens', () => {
  it.each([
    ['visarga and chandrabindu stay on their syllable', 'दुःख में हूँ।', ['दुःख', 'में', 'हूँ', '।']],
    ['virama conjuncts and nukta letters are one word', 'क्या ज़्यादा स्कूल॥', ['क्या', 'ज़्यादा', 'स्कूल', '॥']],
    ['ZWJ inside a real Tatoeba word is kept', 'बास्\u200Dकेटबॉल खेलो', ['बास्\u200Dकेटबॉल', 'खेलो']],
    ['Devanagari numbers with separators stay whole', 'कीमत १,२००.५० है', ['कीमत', '१,२००.५०', 'है']],
    [
      'Latin punctuation splits off, numbers do not',
      'Wait (10:30), "ok"?',
      ['Wait', '(', '10:30', ')', ',', '"', 'ok', '"', '?'],
    ],
    ['ordinals and dotted abbreviations stay whole', 'On the 21st at 5 p.m.', ['On', 'the', '21st', 'at', '5', 'p.m.']],
  ])('%s', (_name, text, expected) => {
    expect(tokenize(text, word(/[a-z]/i.test(text) ? 'en' : 'hi'))).toEqual(expected);
  });

  it('detokenize: no space before closing marks or after opening ones', () => {
    const toks = ['वह', '"', 'अच्छा', '"', 'है', ',', '(', 'शायद', ')', 'नहीं', '?', 'हाँ', '।', 'ठीक', '॥'];
    expect(detokenize(toks, word('hi'))).toBe('वह "अच्छा" है, (शायद) नहीं? हाँ। ठीक॥');
  });

  it('tokenize → detokenize gives back the NFC text of ≥ 99% of English and ≥ 98% of Hindi Tatoeba lines', () => {
    const rate = (lang: Lang, pick: (p: { source: string; target: string }) => string) =>
      pairs.filter((p) => detokenize(tokenize(pick(p), word(lang)), word(lang)) === pick(p).normalize('NFC')).length /
      pairs.length;
    const en = rate('en', (p) => p.source);
    const hi = rate('hi', (p) => p.target);
    // Measured: en 2948/2949, hi 2905/2949 (the misses are source lines written "है ।" with a space before the danda).
    expect(en).toBeGreaterThanOrEqual(0.99);
    expect(hi).toBeGreaterThanOrEqual(0.98);
  });
});

describe('Vocab', () => {
  it('ranks by frequency, then token, cuts at maxSize (specials included) and minFreq', () => {
    const lists = [['b', 'c', 'a'], ['c', 'b', 'd'], ['e']];
    const v = Vocab.build(lists, { maxSize: 7 });
    expect(v.tokens).toEqual(['<pad>', '<sos>', '<eos>', '<unk>', 'b', 'c', 'a']);
    expect([PAD_ID, SOS_ID, EOS_ID, UNK_ID]).toEqual([0, 1, 2, 3]);
    expect(Vocab.build([...lists].reverse(), { maxSize: 7 }).tokens).toEqual(v.tokens);
    expect(Vocab.build(lists, { minFreq: 2 }).tokens.slice(4)).toEqual(['b', 'c']);
    expect(v.decode(v.encode(['a', 'zz']))).toEqual(['a', '<unk>']);
    expect(() => Vocab.fromJSON({ tokens: ['a', 'b'] })).toThrow(/<pad> <sos> <eos> <unk>/);
  });
});

describe('TextPipeline on Tatoeba', () => {
  const fit = (level: 'word' | 'char' | 'bpe', extra: Record<string, unknown> = {}) =>
    TextPipeline.fit(pairs, buildRunConfig({ overrides: { dataset: 'tatoeba', level, bpe_merges: 2000, ...extra } }));

  it.each(['word', 'char', 'bpe'] as const)(
    '%s level: encode → decode restores at least 98 percent of Hindi lines',
    (level) => {
      const pipe = fit(level);
      let same = 0;
      for (const p of pairs) {
        const ids = pipe.encodeTarget(p.target);
        expect(ids).not.toContain(EOS_ID);
        if (
          pipe.decodeTarget([SOS_ID, ...ids, EOS_ID, PAD_ID]).text ===
          detokenize(tokenize(p.target, word('hi')), word('hi'))
        )
          same++;
      }
      expect(same / pairs.length).toBeGreaterThanOrEqual(0.98);
    },
  );

  it('BPE is deterministic and survives toJSON/fromJSON (what checkpoints store)', () => {
    const a = fit('bpe');
    const b = fit('bpe');
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const restored = TextPipeline.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    for (const p of pairs.slice(0, 300)) {
      expect(restored.encodeSource(p.source)).toEqual(a.encodeSource(p.source));
      expect(restored.encodeTarget(p.target)).toEqual(a.encodeTarget(p.target));
    }
    const json = a.toJSON();
    expect(json.trgBpe?.merges.length).toBeGreaterThan(300); // 400 pairs run out of pairs to merge before 2,000
    // An unseen word is still spelled out of learned pieces, not <unk>.
    const words = pairs.flatMap((p) => tokenize(p.target, word('hi')));
    const bpe = Bpe.learn(words, 2000);
    expect(bpe.segmentWord('अनदेखाशब्द').length).toBeGreaterThan(1);
  });

  it('a literal "@@" in the text survives BPE (it is also the continuation marker)', () => {
    const bpe = Bpe.learn(['mail', 'me', 'home', '@@', '@@', '@@@', '@@@'], 20);
    const words = tokenize('mail me @@ home @ x @@@', word('en'));
    expect(joinPieces(bpe.segment(words))).toEqual(words);
  });

  it('lowercase and vocabulary limits come from the run config', () => {
    const pipe = fit('word', { lowercase: true, src_voc_limit: 50 });
    expect(pipe.srcVocab.size).toBe(50);
    expect(pipe.sourceTokens('Tom IS Here.')).toEqual(['tom', 'is', 'here', '.']);
    expect(pipe.encodeSource('zyxwv')).toEqual([UNK_ID]);
  });
});
