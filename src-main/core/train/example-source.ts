/**
 * Where a trainer's examples come from. Bucketing needs only each example's two
 * lengths; a batch needs the token ids of its own rows. An ExampleSource gives the
 * lengths at once and the ids on demand, so a large training set can stay on disk
 * (encoded-examples.ts) while a small one (validation, tests) is a plain array.
 */

/** One training pair as token ids; `trg` has no <sos>/<eos> (the batcher adds them). */
export interface Example {
  id: number;
  src: number[];
  trg: number[];
}

export interface ExampleSource {
  readonly size: number;
  /** token counts of example i (i in 0 .. size-1, in split order) */
  srcLength(i: number): number;
  trgLength(i: number): number;
  /** the examples at these indices, in this order */
  read(indices: readonly number[]): Example[];
}

/** What the batcher and the trainer accept: examples in memory, or a source that reads them when needed. */
export type Examples = readonly Example[] | ExampleSource;

export function asExampleSource(examples: Examples): ExampleSource {
  if (!isArray(examples)) return examples;
  return {
    size: examples.length,
    srcLength: (i) => examples[i].src.length,
    trgLength: (i) => examples[i].trg.length,
    read: (indices) => indices.map((i) => examples[i]),
  };
}

// Array.isArray does not narrow a readonly array out of a union.
const isArray = (x: Examples): x is readonly Example[] => Array.isArray(x);
