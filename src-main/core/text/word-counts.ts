import { tokenize, type Lang } from './tokenize.ts';

/**
 * Word counts of a corpus, the input BPE learning and the vocabulary need, at a
 * million sentences in seconds. Tokenizing is the slow part (Unicode regexes), so
 * each line is first cut at spaces, the pieces are counted, and only each distinct
 * piece is tokenized, once. Counting the pieces (hashing millions of fresh strings)
 * is then what costs; lines are counted first, in batches of at most LINE_BATCH
 * distinct lines (bounded memory), so a line repeated in a batch is cut only once.
 * No token of the tokenizer spans a space and its rules look no further than the
 * piece (the abbreviation rule looks one character ahead, a space or the end either
 * way), so this counts exactly the words of `tokenize(line)`, line by line.
 */
const LINE_BATCH = 1 << 16;

export class WordCounter {
  private readonly lines = new Map<string, number>();
  private readonly chunks = new Map<string, number>();

  constructor(private readonly opts: { lang: Lang; lowercase: boolean }) {}

  add(line: string): void {
    this.lines.set(line, (this.lines.get(line) ?? 0) + 1);
    if (this.lines.size >= LINE_BATCH) this.flushLines();
  }

  private flushLines(): void {
    for (const [line, n] of this.lines) {
      for (const chunk of line.split(' ')) if (chunk !== '') this.chunks.set(chunk, (this.chunks.get(chunk) ?? 0) + n);
    }
    this.lines.clear();
  }

  /** The words and how often each occurs in the lines added. */
  counts(into = new Map<string, number>()): Map<string, number> {
    this.flushLines();
    const { lang, lowercase } = this.opts;
    for (const [chunk, n] of this.chunks) {
      for (const w of tokenize(chunk, { lang, level: 'word', lowercase })) into.set(w, (into.get(w) ?? 0) + n);
    }
    return into;
  }
}

export function countWords(lines: Iterable<string>, opts: { lang: Lang; lowercase: boolean }): Map<string, number> {
  const counter = new WordCounter(opts);
  for (const line of lines) counter.add(line);
  return counter.counts();
}
