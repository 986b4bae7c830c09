import type { RunConfig } from '../../common/config.ts';
import { badInput } from '../../common/errors.ts';
import { Bpe, joinPieces, type BpeJSON } from './bpe.ts';
import { detokenize, tokenize, type Lang } from './tokenize.ts';
import { EOS_ID, PAD_ID, SOS_ID, Vocab, type VocabJSON } from './vocab.ts';

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
}

interface Side {
  lang: Lang;
  bpe: Bpe | null;
}

export class TextPipeline {
  private constructor(
    readonly level: PipelineLevel,
    readonly lowercase: boolean,
    private readonly src: Side,
    private readonly trg: Side,
    readonly srcVocab: Vocab,
    readonly trgVocab: Vocab,
  ) {}

  static fit(trainPairs: ReadonlyArray<{ source: string; target: string }>, config: RunConfig): TextPipeline {
    const { level, lowercase } = config;
    const src: Side = { lang: 'en', bpe: null };
    const trg: Side = { lang: 'hi', bpe: null };
    if (level === 'bpe') {
      // Tokenize each side once: the same word lists feed BPE learning and then the vocabulary.
      const srcWords = trainPairs.map((p) => words(p.source, src.lang, lowercase));
      const trgWords = trainPairs.map((p) => words(p.target, trg.lang, lowercase));
      src.bpe = Bpe.learn(srcWords.flat(), config.bpe_merges);
      trg.bpe = Bpe.learn(trgWords.flat(), config.bpe_merges);
      const srcBpe = src.bpe;
      const trgBpe = trg.bpe;
      const srcVocab = Vocab.build(srcWords.map((ws) => srcBpe.segment(ws)), { maxSize: config.src_voc_limit, minFreq: config.src_voc_min_freq });
      const trgVocab = Vocab.build(trgWords.map((ws) => trgBpe.segment(ws)), { maxSize: config.trg_voc_limit, minFreq: config.trg_voc_min_freq });
      return new TextPipeline(level, lowercase, src, trg, srcVocab, trgVocab);
    }
    const srcVocab = Vocab.build(
      trainPairs.map((p) => tokens(p.source, src, level, lowercase)),
      { maxSize: config.src_voc_limit, minFreq: config.src_voc_min_freq },
    );
    const trgVocab = Vocab.build(
      trainPairs.map((p) => tokens(p.target, trg, level, lowercase)),
      { maxSize: config.trg_voc_limit, minFreq: config.trg_voc_min_freq },
    );
    return new TextPipeline(level, lowercase, src, trg, srcVocab, trgVocab);
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
    };
  }

  static fromJSON(json: PipelineJSON): TextPipeline {
    if (json?.version !== 1) throw badInput('unsupported pipeline.json version', { field: 'version' });
    const side = (lang: Lang, bpe: BpeJSON | null): Side => ({ lang, bpe: bpe ? Bpe.fromJSON(bpe) : null });
    return new TextPipeline(
      json.level,
      json.lowercase,
      side(json.srcLang, json.srcBpe),
      side(json.trgLang, json.trgBpe),
      Vocab.fromJSON(json.srcVocab),
      Vocab.fromJSON(json.trgVocab),
    );
  }
}

function words(text: string, lang: Lang, lowercase: boolean): string[] {
  return tokenize(text, { lang, level: 'word', lowercase });
}

function tokens(text: string, side: Side, level: PipelineLevel, lowercase: boolean): string[] {
  if (level === 'char') return tokenize(text, { lang: side.lang, level: 'char', lowercase });
  const ws = words(text, side.lang, lowercase);
  return side.bpe ? side.bpe.segment(ws) : ws;
}
