/**
 * The length-ratio rule: the longer side's words over the shorter side's, judged
 * only when both sides have words and the longer has at least minTokens (short
 * pairs such as "OK" / "ठीक है" have wild ratios that mean nothing).
 */
export const DEFAULT_MAX_LENGTH_RATIO = 3.5;
export const DEFAULT_RATIO_MIN_TOKENS = 4;

/** The ratio (≥ 1), or null when the pair is too short to judge. */
export function judgedLengthRatio(
  srcTokens: number,
  tgtTokens: number,
  minTokens = DEFAULT_RATIO_MIN_TOKENS,
): number | null {
  if (srcTokens === 0 || tgtTokens === 0 || Math.max(srcTokens, tgtTokens) < minTokens) return null;
  return Math.max(srcTokens / tgtTokens, tgtTokens / srcTokens);
}
