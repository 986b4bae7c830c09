import type { Example } from './batching.ts';

/**
 * Which validation sentences are recorded as samples at every validation (print_valid_sents
 * of them). The first few of a split are often the same short sentence (Tatoeba starts
 * with "Jump." three times, then "Jump!"), so the pick is: distinct sources (compared without
 * case, punctuation and spacing), non-empty, sorted by length, taken at evenly spaced ranks so the
 * shortest and the longest are both watched. A function of the validation set alone, so a resumed
 * run watches the same sentences. Returns indices into `examples`, from short to long.
 */
export function pickSampleSentences(sources: readonly string[], examples: readonly Example[], count: number): number[] {
  if (count <= 0) return [];
  const seen = new Set<string>();
  const distinct: number[] = [];
  examples.forEach((e, i) => {
    const key = sources[i]
      .toLowerCase()
      .replace(/[\p{P}\s]+/gu, ' ')
      .trim();
    if (e.src.length === 0 || seen.has(key)) return;
    seen.add(key);
    distinct.push(i);
  });
  distinct.sort((a, b) => examples[a].src.length - examples[b].src.length || a - b);
  if (distinct.length <= count) return distinct;
  if (count === 1) return [distinct[Math.floor((distinct.length - 1) / 2)]];
  return Array.from({ length: count }, (_, k) => distinct[Math.round((k * (distinct.length - 1)) / (count - 1))]);
}
