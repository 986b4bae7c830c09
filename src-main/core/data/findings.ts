import type { Db } from '../store/db.ts';
import { iteratePairs, type PairRow } from '../store/datasets.ts';

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

const DEVANAGARI = /[\u0900-\u097F]/u;
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

const PUNCT_OR_SYMBOL = /[\p{P}\p{S}]/gu;
const SPACES = /\s+/gu;
const ASCII = /^[\x20-\x7e]*$/;

export function normaliseForDuplicates(s: string): string {
  // ASCII text is already NFC: skipping normalize() there halves the cost on English sides.
  const nfc = ASCII.test(s) ? s : s.normalize('NFC');
  return nfc.toLowerCase().replace(PUNCT_OR_SYMBOL, '').replace(SPACES, ' ').trim();
}

/** Words by whitespace, counted without building an array. */
function wordCount(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const space =
      c === 32 ||
      (c >= 9 && c <= 13) ||
      c === 0xa0 ||
      c === 0x3000 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x1680 ||
      c === 0xfeff;
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      n++;
    }
  }
  return n;
}

/** Last character that is not whitespace: the Latin danda check runs its regex only when this is I or |. */
function lastNonSpace(s: string): string {
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s[i];
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== '\u00a0') return c;
  }
  return '';
}

/**
 * A 53-bit hash of a string (two 32-bit multiply-xor streams). Duplicate
 * detection keys its map by these numbers instead of the texts, so 1M pairs
 * do not keep 1M normalised strings alive; a chance collision (about 1e-4 for
 * a whole 1M-pair dataset) could only mislabel one pair as a near duplicate.
 */
function hash53(s: string, seed = 0): number {
  let h1 = 0x811c9dc5 ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  return 0x200000 * (h2 >>> 11) + (h1 >>> 0);
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
  const maxRatio = opts.maxLengthRatio ?? 3.5;
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
    const nkey = hash53(`${normaliseForDuplicates(source)}\u0000${normaliseForDuplicates(target)}`);
    const exact = hash53(`${source}\u0000${target}`, 0x9e3779b9);
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
    const tgtDeva = DEVANAGARI.test(target);
    if (tgtTrim && !tgtDeva) add('target_not_devanagari', id, 'Hindi side has no Devanagari');
    if (DEVANAGARI.test(source)) add('source_has_devanagari', id, 'English side contains Devanagari');
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
        `zero-width character ${[...new Set(cps)].join(', ')}${legit ? ' (a joiner inside a Devanagari cluster: kept by the fix)' : ''}`,
        legit ? undefined : fixed,
      );
    }
    if (srcTokens > 0 && tgtTokens > 0 && Math.max(srcTokens, tgtTokens) >= 4) {
      const ratio = Math.max(srcTokens / tgtTokens, tgtTokens / srcTokens);
      if (ratio > maxRatio)
        add('length_ratio', id, `length ratio ${ratio.toFixed(1)} (${srcTokens} vs ${tgtTokens} words)`);
    }
    if (srcTrim && srcTrim === tgtTrim) add('untranslated', id, 'target is a copy of the source');
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
  const key = JSON.stringify(
    db
      .prepare(
        `SELECT d.pair_count, d.updated_at, d.created_at,
                (SELECT max(id) FROM edit_groups WHERE dataset_id = d.id) AS g,
                (SELECT count(*) FROM edit_groups WHERE dataset_id = d.id AND state = 'undone') AS u
         FROM datasets d WHERE d.id = ?`,
      )
      .get(datasetId) ?? null,
  );
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  const hit = perDb.get(datasetId);
  if (hit && hit.key === key) return hit.findings;
  const findings = validatePairs(iteratePairs(db, datasetId), opts);
  perDb.set(datasetId, { key, findings });
  return findings;
}
