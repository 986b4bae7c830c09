import { badInput } from '../../common/errors.ts';

/** Special tokens and their fixed ids (JoeyNMT's order: pad, sos, eos, unk are 0..3 here). */
export const PAD_ID = 0;
export const SOS_ID = 1;
export const EOS_ID = 2;
export const UNK_ID = 3;
export const SPECIALS = ['<pad>', '<sos>', '<eos>', '<unk>'] as const;

export interface VocabOptions {
  maxSize?: number;
  minFreq?: number;
  alphabet?: ReadonlySet<string>;
}

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

  static build(tokenLists: Iterable<readonly string[]>, opts: VocabOptions = {}): Vocab {
    const counts = new Map<string, number>();
    for (const list of tokenLists) for (const t of list) counts.set(t, (counts.get(t) ?? 0) + 1);
    return Vocab.fromCounts(counts, opts);
  }

  /**
   * From token counts. `alphabet`: tokens that get a place before any other whatever their count
   * (the character pieces of a BPE vocabulary, so any word seen in training can be spelled without
   * <unk>); they still count towards maxSize.
   */
  static fromCounts(counts: ReadonlyMap<string, number>, opts: VocabOptions = {}): Vocab {
    const minFreq = opts.minFreq ?? 1;
    const alphabet = opts.alphabet ?? new Set<string>();
    const rank = (a: [string, number], b: [string, number]) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    const special = (t: string) => (SPECIALS as readonly string[]).includes(t);
    const first = [...counts].filter(([t]) => alphabet.has(t) && !special(t)).sort(rank);
    const rest = [...counts].filter(([t, n]) => n >= minFreq && !alphabet.has(t) && !special(t)).sort(rank);
    const room = Math.max(0, (opts.maxSize ?? Infinity) - SPECIALS.length);
    const kept = [...first, ...rest].slice(0, room);
    // Listed by frequency whatever the reason each was kept, as build always listed them.
    return new Vocab([...SPECIALS, ...kept.sort(rank).map(([t]) => t)]);
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
