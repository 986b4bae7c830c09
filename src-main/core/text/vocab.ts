import { badInput } from '../../common/errors.ts';

/** Special tokens and their fixed ids (JoeyNMT's order: pad, sos, eos, unk are 0..3 here). */
export const PAD_ID = 0;
export const SOS_ID = 1;
export const EOS_ID = 2;
export const UNK_ID = 3;
export const SPECIALS = ['<pad>', '<sos>', '<eos>', '<unk>'] as const;

export interface VocabJSON {
  tokens: string[];
}

/**
 * A token ↔ id mapping built from the train split. Tokens are ranked by
 * frequency, ties broken by the token itself, so the same data always gives
 * the same ids (runs with one seed are reproducible).
 */
export class Vocab {
  private readonly index: Map<string, number>;

  private constructor(readonly tokens: readonly string[]) {
    this.index = new Map(tokens.map((t, i) => [t, i]));
  }

  static build(tokenLists: Iterable<readonly string[]>, opts: { maxSize?: number; minFreq?: number } = {}): Vocab {
    const counts = new Map<string, number>();
    for (const list of tokenLists) for (const t of list) counts.set(t, (counts.get(t) ?? 0) + 1);
    const minFreq = opts.minFreq ?? 1;
    const ranked = [...counts]
      .filter(([t, n]) => n >= minFreq && !(SPECIALS as readonly string[]).includes(t))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([t]) => t);
    const room = Math.max(0, (opts.maxSize ?? Infinity) - SPECIALS.length);
    return new Vocab([...SPECIALS, ...ranked.slice(0, room)]);
  }

  get size(): number {
    return this.tokens.length;
  }

  has(token: string): boolean {
    return this.index.has(token);
  }

  id(token: string): number {
    return this.index.get(token) ?? UNK_ID;
  }

  encode(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.index.get(t) ?? UNK_ID);
  }

  /** Ids to tokens; an out-of-range id decodes as <unk> rather than throwing. */
  decode(ids: readonly number[]): string[] {
    return ids.map((i) => this.tokens[i] ?? SPECIALS[UNK_ID]);
  }

  toJSON(): VocabJSON {
    return { tokens: [...this.tokens] };
  }

  static fromJSON(json: VocabJSON): Vocab {
    const ok = Array.isArray(json?.tokens) && SPECIALS.every((s, i) => json.tokens[i] === s);
    if (!ok) throw badInput('vocabulary must start with <pad> <sos> <eos> <unk>', { field: 'tokens' });
    return new Vocab(json.tokens);
  }
}
