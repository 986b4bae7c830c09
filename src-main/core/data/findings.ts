import type { Db } from '../store/db.ts';
import { iteratePairs, type PairRow } from '../store/datasets.ts';
import { datasetContentKey } from './dataset-content-key.ts';
import { isCopy } from './rules/copy.ts';
import { exactDuplicateKey, nearDuplicateKey } from './rules/duplicate-keys.ts';
import { DEFAULT_MAX_LENGTH_RATIO, judgedLengthRatio } from './rules/length-ratio.ts';
import { sourceHasDevanagari, targetLacksDevanagari } from './rules/script.ts';
import { wordCount } from './rules/words.ts';

export { normaliseForDuplicates } from './rules/duplicate-keys.ts';

/**
 * Validation findings: each is one pair and one problem, with a safe fix where
 * one exists. Computed in one pass over the dataset (1M pairs in seconds):
 * duplicates through hash maps of normalised text, everything else per pair.
 */
export type FindingKind =
  | 'empty_side'
  | 'too_long'
  | 'duplicate'
  | 'near_duplicate'
  | 'target_not_devanagari'
  | 'source_has_devanagari'
  | 'latin_danda'
  | 'zero_width'
  | 'length_ratio'
  | 'untranslated';

export const FINDING_KINDS: readonly FindingKind[] = [
  'empty_side',
  'too_long',
  'duplicate',
  'near_duplicate',
  'target_not_devanagari',
  'source_has_devanagari',
  'latin_danda',
  'zero_width',
  'length_ratio',
  'untranslated',
];

export interface Finding {
  kind: FindingKind;
  pairId: number;
  message: string;
  /** A safe one-click fix: the new sides of the pair. */
  fix?: { source: string; target: string };
}

export interface ValidateOptions {
  maxTokens?: number;
  maxLengthRatio?: number;
}

// A sentence ending in a Latin I or | after Devanagari, where the danda "।" was meant.
const LATIN_DANDA = /([\u0900-\u097F])\s*[I|]\s*$/u;
// Zero-width characters; ZWJ/ZWNJ are legitimate inside a Devanagari cluster but are still flagged (rarely intended).
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/u;

/** The safe fix for latin_danda: the trailing Latin I or | becomes "।". */
export function fixLatinDanda(target: string): string {
  return target.replace(LATIN_DANDA, '$1।');
}

/**
 * The safe fix for zero_width: drops ZWSP, word joiner and BOM everywhere, and
 * ZWJ/ZWNJ unless they sit between two Devanagari characters, where they
 * choose a conjunct or half form and change how the word is written.
 */
export function stripZeroWidth(s: string): string {
  return s
    .replace(/[\u200B\u2060\uFEFF]/gu, '')
    .replace(/([^\u0900-\u097F])[\u200C\u200D]+|^[\u200C\u200D]+|[\u200C\u200D]+(?![\u0900-\u097F])/gu, '$1');
}

/** Last character that is not whitespace: the Latin danda check runs its regex only when this is I or |. */
function lastNonSpace(s: string): string {
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s[i];
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== '\u00a0') return c;
  }
  return '';
}

/** The first pair of a group of pairs equal up to normalisation, and its distinct exact variants (by hash). */
interface DuplicateGroup {
  id: number;
  exact: number;
  variants?: Array<{ id: number; exact: number }>;
}

export function validatePairs(
  pairs: Iterable<Pick<PairRow, 'id' | 'source' | 'target'>>,
  opts: ValidateOptions = {},
): Finding[] {
  const maxTokens = opts.maxTokens ?? 100;
  const maxRatio = opts.maxLengthRatio ?? DEFAULT_MAX_LENGTH_RATIO;
  const out: Finding[] = [];
  // One map keyed by the normalised pair's hash: an exact duplicate is always also equal
  // after normalisation, so it is found inside its group without a second map.
  const groups = new Map<number, DuplicateGroup>();
  const add = (kind: FindingKind, pairId: number, message: string, fix?: Finding['fix']) =>
    out.push(fix ? { kind, pairId, message, fix } : { kind, pairId, message });
  for (const p of pairs) {
    const { id, source, target } = p;
    const srcTrim = source.trim();
    const tgtTrim = target.trim();
    if (!srcTrim || !tgtTrim) add('empty_side', id, `${!srcTrim ? 'source' : 'target'} side is empty`);
    const srcTokens = wordCount(source);
    const tgtTokens = wordCount(target);
    if (Math.max(srcTokens, tgtTokens) > maxTokens)
      add('too_long', id, `${Math.max(srcTokens, tgtTokens)} words (over ${maxTokens})`);
    const nkey = nearDuplicateKey(source, target);
    const exact = exactDuplicateKey(source, target);
    const g = groups.get(nkey);
    if (!g) groups.set(nkey, { id, exact });
    else {
      const same = g.exact === exact ? g : g.variants?.find((v) => v.exact === exact);
      if (same) add('duplicate', id, `exact duplicate of pair ${same.id}`);
      else {
        add('near_duplicate', id, `same as pair ${g.id} up to case, spacing and punctuation`);
        (g.variants ??= []).push({ id, exact });
      }
    }
    if (targetLacksDevanagari(target)) add('target_not_devanagari', id, 'Hindi side has no Devanagari');
    if (sourceHasDevanagari(source)) add('source_has_devanagari', id, 'English side contains Devanagari');
    const last = lastNonSpace(target);
    if ((last === 'I' || last === '|') && LATIN_DANDA.test(target)) {
      add('latin_danda', id, `Latin "${last}" typed for the danda "।"`, { source, target: fixLatinDanda(target) });
    }
    if (ZERO_WIDTH.test(source) || ZERO_WIDTH.test(target)) {
      const cps = [...(source + target)]
        .filter((c) => ZERO_WIDTH.test(c))
        .map((c) => `U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`);
      const fixed = { source: stripZeroWidth(source), target: stripZeroWidth(target) };
      const legit = fixed.source === source && fixed.target === target;
      add(
        'zero_width',
        id,
        `zero-width character ` +
          `${[...new Set(cps)].join(', ')}${legit ? ' (a joiner inside a Devanagari cluster: kept by the fix)' : ''}`,
        legit ? undefined : fixed,
      );
    }
    const ratio = judgedLengthRatio(srcTokens, tgtTokens);
    if (ratio !== null && ratio > maxRatio)
      add('length_ratio', id, `length ratio ${ratio.toFixed(1)} (${srcTokens} vs ${tgtTokens} words)`);
    if (isCopy(source, target)) add('untranslated', id, 'target is a copy of the source');
  }
  return out;
}

/**
 * Findings of a dataset. The last result per dataset is cached on the
 * connection (a WeakMap, so it goes with the Db) and reused while the
 * dataset's pair count, update time and edit history are unchanged: the
 * finding filter of the pair table then costs one query per page, not a
 * full pass over 1M pairs.
 */
const cache = new WeakMap<Db, Map<number, { key: string; findings: Finding[] }>>();

export function validateDataset(db: Db, datasetId: number, opts: ValidateOptions = {}): Finding[] {
  const custom = opts.maxTokens !== undefined || opts.maxLengthRatio !== undefined;
  if (custom) return validatePairs(iteratePairs(db, datasetId), opts);
  const key = datasetContentKey(db, datasetId);
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  const hit = perDb.get(datasetId);
  if (hit && hit.key === key) return hit.findings;
  const findings = validatePairs(iteratePairs(db, datasetId), opts);
  perDb.set(datasetId, { key, findings });
  return findings;
}
