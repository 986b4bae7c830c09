import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../src-main/common/config.ts';
import { Bpe, joinPieces } from '../src-main/core/text/bpe.ts';
import { learnMerges } from '../src-main/core/text/bpe-learn.ts';
import { TextPipeline, type PipelineJSON } from '../src-main/core/text/pipeline.ts';
import { charClusters, tokenize } from '../src-main/core/text/tokenize.ts';
import { UNK_ID } from '../src-main/core/text/vocab.ts';
import { countWords } from '../src-main/core/text/word-counts.ts';

/** Joint BPE and vocabulary (joint_vocab), the fast learner, word counting and the vocabulary filter. */
const pairs = readFileSync(new URL('./fixtures/tatoeba-400.tsv', import.meta.url), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'))
  .map(([source, target]) => ({ source, target }));
const fit = (extra: Record<string, unknown>) =>
  TextPipeline.fit(pairs, buildRunConfig({ overrides: { dataset: 'x', level: 'bpe', bpe_merges: 300, ...extra } }));

/** The textbook algorithm: recount every pair of every word, merge the most frequent (ties: smaller "a\0b"). */
function referenceMerges(counts: Map<string, number>, numMerges: number): Array<[string, string]> {
  const words = [...counts].map(([w, n]) => {
    const cs = charClusters(w);
    cs[cs.length - 1] += '</w>';
    return { s: cs, n };
  });
  const merges: Array<[string, string]> = [];
  while (merges.length < numMerges) {
    const stats = new Map<string, number>();
    for (const { s, n } of words)
      for (let i = 0; i + 1 < s.length; i++)
        stats.set(`${s[i]}\u0000${s[i + 1]}`, (stats.get(`${s[i]}\u0000${s[i + 1]}`) ?? 0) + n);
    const best = [...stats].filter(([, n]) => n > 1).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
    if (!best) break;
    const [a, b] = best[0].split('\u0000');
    merges.push([a, b]);
    for (const w of words) {
      const out: string[] = [];
      for (let i = 0; i < w.s.length; i++) {
        if (i + 1 < w.s.length && w.s[i] === a && w.s[i + 1] === b) {
          out.push(a + b);
          i++;
        } else out.push(w.s[i]);
      }
      w.s = out;
    }
  }
  return merges;
}

describe('BPE learning from word counts', () => {
  it('learns the same merges as the textbook algorithm, on Hindi and on English', () => {
    for (const side of ['target', 'source'] as const) {
      const counts = countWords(
        pairs.map((p) => p[side]),
        { lang: side === 'target' ? 'hi' : 'en', lowercase: false },
      );
      expect(learnMerges(counts, 150, '</w>')).toEqual(referenceMerges(counts, 150));
    }
  });

  it('handles a pair of equal symbols, and overlapping runs, as the textbook algorithm does', () => {
    const counts = new Map([
      ['aaaa', 3],
      ['aaa', 2],
      ['baaab', 2],
      ['ab', 1],
    ]);
    expect(learnMerges(counts, 10, '</w>')).toEqual(referenceMerges(counts, 10));
  });

  it('counts exactly the words of tokenize(line), line by line, however the spaces fall', () => {
    const lines = [
      ...pairs.map((p) => p.source),
      'It is 10:30 a.m. in the U.S. now.',
      '  two  spaces\tand a tab ',
      'e.g. x',
      '',
    ];
    const expected = new Map<string, number>();
    for (const l of lines)
      for (const w of tokenize(l, { lang: 'en', level: 'word', lowercase: true }))
        expected.set(w, (expected.get(w) ?? 0) + 1);
    const counted = countWords(lines, { lang: 'en', lowercase: true });
    expect(new Map([...counted].sort())).toEqual(new Map([...expected].sort()));
  });
});

describe('joint_vocab', () => {
  it('learns one BPE model and one vocabulary over both sides', () => {
    const pipe = fit({ joint_vocab: true, src_voc_limit: 500, trg_voc_limit: 700 });
    expect(pipe.srcVocab).toBe(pipe.trgVocab);
    expect(pipe.srcVocab.size).toBe(700); // the larger limit
    const json = pipe.toJSON();
    expect(json.joint).toBe(true);
    expect(json.srcBpe).toEqual(json.trgBpe);
    // Both languages' words are in it: English pieces encode on the target side too.
    expect(pipe.encodeTarget('How are you?')).toEqual(pipe.encodeSource('How are you?'));
    expect(pipe.encodeSource('मैं ठीक हूँ।')).not.toContain(UNK_ID);
    const restored = TextPipeline.fromJSON(JSON.parse(JSON.stringify(json)) as PipelineJSON);
    expect(restored.joint).toBe(true);
    expect(restored.srcVocab).toBe(restored.trgVocab);
    for (const p of pairs.slice(0, 50)) {
      expect(restored.encodeSource(p.source)).toEqual(pipe.encodeSource(p.source));
      expect(restored.encodeTarget(p.target)).toEqual(pipe.encodeTarget(p.target));
    }
  });

  it('at word level, one vocabulary of both sides', () => {
    const pipe = TextPipeline.fit(
      pairs,
      buildRunConfig({ overrides: { dataset: 'x', level: 'word', joint_vocab: true } }),
    );
    expect(pipe.srcVocab).toBe(pipe.trgVocab);
    expect(pipe.srcVocab.has('the') && pipe.srcVocab.has('है')).toBe(true);
  });
});

describe('TextPipeline tokens, a space-separated chunk at a time (cached)', () => {
  it('are the tokens of the whole line, tokenized and segmented at once', () => {
    const pipe = fit({ joint_vocab: true, lowercase: true, src_voc_limit: 600, trg_voc_limit: 600 });
    const json = pipe.toJSON();
    const bpe = Bpe.fromJSON(json.srcBpe ?? { merges: [] });
    const known = (p: string) => pipe.srcVocab.has(p);
    const tricky = [
      'It is 10:30 a.m. in the U.S.  now.',
      ' tab\there ',
      'ΟΔΟΣ ΚΑΙ ΟΔΟΣ.',
      'e \u0301x',
      'मैं  ठीक हूँ।',
      '',
    ];
    for (const line of [...pairs.flatMap((p) => [p.source, p.target]), ...tricky, ...tricky]) {
      const whole = bpe.segment(tokenize(line, { lang: 'en', level: 'word', lowercase: true }), known);
      expect(pipe.sourceTokens(line), line).toEqual(whole);
    }
  });
});

describe('the vocabulary filter', () => {
  it('spells a piece cut from a small vocabulary with smaller pieces instead of <unk>', () => {
    const pipe = fit({ joint_vocab: true, bpe_merges: 2000, src_voc_limit: 600, trg_voc_limit: 600 });
    let unk = 0;
    for (const p of pairs)
      unk += [...pipe.encodeSource(p.source), ...pipe.encodeTarget(p.target)].filter((id) => id === UNK_ID).length;
    expect(unk).toBe(0);
    for (const p of pairs.slice(0, 100)) {
      const words = tokenize(p.target, { lang: 'hi', level: 'word' });
      expect(joinPieces(pipe.targetTokens(p.target))).toEqual(words);
    }
  });

  it('splits along the merges, down to character clusters', () => {
    const bpe = new Bpe([
      ['l', 'o'],
      ['lo', 'w'],
      ['e', 's'],
      ['es', 't</w>'],
      ['low', 'est</w>'],
    ]);
    expect(bpe.segmentWord('lowest')).toEqual(['lowest']);
    const known = new Set(['low@@', 'e@@', 's@@', 't', 'est']);
    expect(bpe.segmentWord('lowest', (p) => known.has(p))).toEqual(['low@@', 'est']);
    known.delete('est');
    expect(bpe.segmentWord('lowest', (p) => known.has(p))).toEqual(['low@@', 'e@@', 's@@', 't']);
  });

  it('is off for a pipeline.json written before it existed (the model was trained without it)', () => {
    const json = fit({ src_voc_limit: 200 }).toJSON();
    const { vocabFilter, joint, ...old } = json;
    expect([vocabFilter, joint]).toEqual([true, false]);
    const before = TextPipeline.fromJSON(old as PipelineJSON);
    const ids = pairs.flatMap((p) => before.encodeSource(p.source));
    expect(ids).toContain(UNK_ID);
  });
});
