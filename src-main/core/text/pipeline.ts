import type { RunConfig } from '../../common/config.ts';
import { badInput } from '../../common/errors.ts';
import { Bpe, CONTINUATION, joinPieces, type BpeJSON } from './bpe.ts';
import { charClusters, detokenize, tokenize, type Lang } from './tokenize.ts';
import { countWords } from './word-counts.ts';
import { EOS_ID, PAD_ID, SOS_ID, Vocab, type VocabJSON, type VocabOptions } from './vocab.ts';

/**
 * Everything that turns raw text into model ids and back for one run:
 * tokenization level, lowercasing, the BPE merges of each side and both
 * vocabularies. Fitted on the train split only, then stored with every
 * checkpoint (pipeline.json) so a model always decodes with its own vocabulary.
 */
export type PipelineLevel = 'word' | 'char' | 'bpe';

export interface PipelineJSON {
  version: 1;
  level: PipelineLevel;
  lowercase: boolean;
  srcLang: Lang;
  trgLang: Lang;
  srcBpe: BpeJSON | null;
  trgBpe: BpeJSON | null;
  srcVocab: VocabJSON;
  trgVocab: VocabJSON;
  /** both sides share one BPE model and one vocabulary (written out on each side all the same); absent: false */
  joint?: boolean;
  /** BPE pieces missing from the vocabulary are split into pieces it has (Bpe.segmentWord); absent: false */
  vocabFilter?: boolean;
}

interface Side {
  lang: Lang;
  bpe: Bpe | null;
  /** split pieces the vocabulary lacks into smaller ones it has (pipelines fitted before this existed: false) */
  vocabFilter: boolean;
  known?: (piece: string) => boolean;
  /** word-level tokens of each space-separated chunk seen (see tokens()) */
  chunks?: Map<string, string[]>;
}

/** Chunks remembered per side: the frequent words of a corpus, a few MB at most. */
const CHUNK_CACHE_SIZE = 200_000;

export class TextPipeline {
  private constructor(
    readonly level: PipelineLevel,
    readonly lowercase: boolean,
    private readonly src: Side,
    private readonly trg: Side,
    readonly srcVocab: Vocab,
    readonly trgVocab: Vocab,
    /** one BPE model and one vocabulary for both sides (joint_vocab) */
    readonly joint: boolean,
  ) {
    if (src.vocabFilter) src.known = (piece) => srcVocab.has(piece);
    if (trg.vocabFilter) trg.known = (piece) => trgVocab.has(piece);
    src.chunks = new Map();
    trg.chunks = new Map();
  }

  /**
   * Fits on the training pairs, read in a few passes (one per side) and never held
   * whole: a large split can come straight from the store (an Iterable that starts a
   * new query each time it is iterated).
   */
  static fit(trainPairs: Iterable<{ source: string; target: string }>, config: RunConfig): TextPipeline {
    const { level, lowercase } = config;
    const src: Side = { lang: 'en', bpe: null, vocabFilter: false };
    const trg: Side = { lang: 'hi', bpe: null, vocabFilter: false };
    const srcLimits = { maxSize: config.src_voc_limit, minFreq: config.src_voc_min_freq };
    const trgLimits = { maxSize: config.trg_voc_limit, minFreq: config.trg_voc_min_freq };
    if (level === 'bpe') {
      // Words are counted once per side (word-counts.ts); BPE and the vocabulary learn from the counts.
      const srcCounts = countWords(
        mapLazily(trainPairs, (p) => p.source),
        { lang: src.lang, lowercase },
      );
      const trgCounts = countWords(
        mapLazily(trainPairs, (p) => p.target),
        { lang: trg.lang, lowercase },
      );
      src.vocabFilter = trg.vocabFilter = true;
      if (config.joint_vocab) {
        // One BPE model and one vocabulary over both sides; it may be as large as the larger limit allows.
        const both = addCounts(new Map(srcCounts), trgCounts);
        const bpe = Bpe.learnFromCounts(both, config.bpe_merges);
        const vocab = pieceVocab(bpe, both, jointLimits(srcLimits, trgLimits));
        src.bpe = trg.bpe = bpe;
        return new TextPipeline(level, lowercase, src, trg, vocab, vocab, true);
      }
      src.bpe = Bpe.learnFromCounts(srcCounts, config.bpe_merges);
      trg.bpe = Bpe.learnFromCounts(trgCounts, config.bpe_merges);
      const srcVocab = pieceVocab(src.bpe, srcCounts, srcLimits);
      const trgVocab = pieceVocab(trg.bpe, trgCounts, trgLimits);
      return new TextPipeline(level, lowercase, src, trg, srcVocab, trgVocab, false);
    }
    if (config.joint_vocab) {
      const lists = (function* () {
        yield* mapLazily(trainPairs, (p) => tokens(p.source, src, level, lowercase));
        yield* mapLazily(trainPairs, (p) => tokens(p.target, trg, level, lowercase));
      })();
      const vocab = Vocab.build(lists, jointLimits(srcLimits, trgLimits));
      return new TextPipeline(level, lowercase, src, trg, vocab, vocab, true);
    }
    const srcVocab = Vocab.build(
      mapLazily(trainPairs, (p) => tokens(p.source, src, level, lowercase)),
      srcLimits,
    );
    const trgVocab = Vocab.build(
      mapLazily(trainPairs, (p) => tokens(p.target, trg, level, lowercase)),
      trgLimits,
    );
    return new TextPipeline(level, lowercase, src, trg, srcVocab, trgVocab, false);
  }

  sourceTokens(text: string): string[] {
    return tokens(text, this.src, this.level, this.lowercase);
  }

  targetTokens(text: string): string[] {
    return tokens(text, this.trg, this.level, this.lowercase);
  }

  /** Source ids, no <sos>/<eos> (the encoder reads the sentence as is). */
  encodeSource(text: string): number[] {
    return this.srcVocab.encode(this.sourceTokens(text));
  }

  /** Target ids without <sos>/<eos>: the batcher adds them. */
  encodeTarget(text: string): number[] {
    return this.trgVocab.encode(this.targetTokens(text));
  }

  /** Ids to tokens and natural text; stops at <eos>, skips <pad>/<sos>. */
  decodeTarget(ids: readonly number[]): { tokens: string[]; text: string } {
    const end = ids.indexOf(EOS_ID);
    const kept = (end >= 0 ? ids.slice(0, end) : ids).filter((i) => i !== PAD_ID && i !== SOS_ID);
    const toks = this.trgVocab.decode(kept);
    return { tokens: toks, text: this.detokenizeTarget(toks) };
  }

  detokenizeTarget(toks: readonly string[]): string {
    if (this.level === 'char') return detokenize(toks, { lang: this.trg.lang, level: 'char' });
    const ws = this.level === 'bpe' ? joinPieces(toks) : toks;
    return detokenize(ws, { lang: this.trg.lang, level: 'word' });
  }

  toJSON(): PipelineJSON {
    return {
      version: 1,
      level: this.level,
      lowercase: this.lowercase,
      srcLang: this.src.lang,
      trgLang: this.trg.lang,
      srcBpe: this.src.bpe?.toJSON() ?? null,
      trgBpe: this.trg.bpe?.toJSON() ?? null,
      srcVocab: this.srcVocab.toJSON(),
      trgVocab: this.trgVocab.toJSON(),
      joint: this.joint,
      vocabFilter: this.src.vocabFilter,
    };
  }

  static fromJSON(json: PipelineJSON): TextPipeline {
    if (json?.version !== 1) throw badInput('unsupported pipeline.json version', { field: 'version' });
    const vocabFilter = json.vocabFilter === true;
    const joint = json.joint === true;
    const side = (lang: Lang, bpe: BpeJSON | null): Side => {
      return { lang, bpe: bpe ? Bpe.fromJSON(bpe) : null, vocabFilter };
    };
    const src = side(json.srcLang, json.srcBpe);
    const trg = joint ? { ...side(json.trgLang, null), bpe: src.bpe } : side(json.trgLang, json.trgBpe);
    const srcVocab = Vocab.fromJSON(json.srcVocab);
    const trgVocab = joint ? srcVocab : Vocab.fromJSON(json.trgVocab);
    return new TextPipeline(json.level, json.lowercase, src, trg, srcVocab, trgVocab, joint);
  }
}

function words(text: string, lang: Lang, lowercase: boolean): string[] {
  return tokenize(text, { lang, level: 'word', lowercase });
}

/**
 * Word or BPE tokens of a text. Tokenizing (Unicode regexes) and segmenting cost far more than a map
 * lookup, and a corpus repeats its words, so the text is cut at spaces and each distinct chunk is worked
 * out once: no token spans a space and the tokenizer's rules look no further than the chunk (see
 * word-counts.ts), so the tokens are those of the whole text.
 */
function tokens(text: string, side: Side, level: PipelineLevel, lowercase: boolean): string[] {
  if (level === 'char') return tokenize(text, { lang: side.lang, level: 'char', lowercase });
  const out: string[] = [];
  for (const chunk of text.split(' ')) {
    if (chunk === '') continue;
    let toks = side.chunks?.get(chunk);
    if (!toks) {
      const ws = words(chunk, side.lang, lowercase);
      toks = side.bpe ? side.bpe.segment(ws, side.known) : ws;
      if (side.chunks && side.chunks.size < CHUNK_CACHE_SIZE) side.chunks.set(chunk, toks);
    }
    for (const t of toks) out.push(t);
  }
  return out;
}

/** A joint vocabulary may be as large as the larger limit, and keeps what either side's minimum would. */
function jointLimits(src: Required<Pick<VocabOptions, 'maxSize' | 'minFreq'>>, trg: typeof src): VocabOptions {
  return { maxSize: Math.max(src.maxSize, trg.maxSize), minFreq: Math.min(src.minFreq, trg.minFreq) };
}

function addCounts(into: Map<string, number>, more: ReadonlyMap<string, number>): Map<string, number> {
  for (const [w, n] of more) into.set(w, (into.get(w) ?? 0) + n);
  return into;
}

/**
 * The vocabulary of a BPE model's pieces over counted words. Every single-character piece seen
 * (with and without "@@") is kept whatever the limits, so any word of the train split can be spelled
 * (the vocabulary filter splits rarer pieces down to them) and <unk> is left to characters never seen.
 */
function pieceVocab(bpe: Bpe, wordCounts: ReadonlyMap<string, number>, limits: VocabOptions): Vocab {
  const counts = new Map<string, number>();
  const alphabet = new Set<string>();
  for (const [w, n] of wordCounts) {
    for (const piece of bpe.segmentWord(w)) counts.set(piece, (counts.get(piece) ?? 0) + n);
    const cs = charClusters(w);
    cs.forEach((c, i) => alphabet.add(i < cs.length - 1 ? c + CONTINUATION : c));
  }
  for (const c of alphabet) if (!counts.has(c)) counts.set(c, 0);
  return Vocab.fromCounts(counts, { ...limits, alphabet });
}

/** `f` applied to each item as it is read: nothing is collected. */
function* mapLazily<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}
