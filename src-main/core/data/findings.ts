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
  'empty_side', 'too_long', 'duplicate', 'near_duplicate', 'target_not_devanagari', 'source_has_devanagari',
  'latin_danda', 'zero_width', 'length_ratio', 'untranslated',
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
  return s.replace(/[\u200B\u2060\uFEFF]/gu, '').replace(/([^\u0900-\u097F])[\u200C\u200D]+|^[\u200C\u200D]+|[\u200C\u200D]+(?![\u0900-\u097F])/gu, '$1');
}

export function normaliseForDuplicates(s: string): string {
  return s.normalize('NFC').toLowerCase().replace(/[\p{P}\p{S}]/gu, '').replace(/\s+/gu, ' ').trim();
}

export function validatePairs(pairs: Iterable<Pick<PairRow, 'id' | 'source' | 'target'>>, opts: ValidateOptions = {}): Finding[] {
  const maxTokens = opts.maxTokens ?? 100;
  const maxRatio = opts.maxLengthRatio ?? 3.5;
  const out: Finding[] = [];
  const exact = new Map<string, number>();
  const near = new Map<string, number>();
  for (const p of pairs) {
    const { id, source, target } = p;
    const add = (kind: FindingKind, message: string, fix?: Finding['fix']) => out.push({ kind, pairId: id, message, fix });
    if (!source.trim() || !target.trim()) add('empty_side', `${!source.trim() ? 'source' : 'target'} side is empty`);
    const srcTokens = source.split(/\s+/u).filter(Boolean).length;
    const tgtTokens = target.split(/\s+/u).filter(Boolean).length;
    if (Math.max(srcTokens, tgtTokens) > maxTokens) add('too_long', `${Math.max(srcTokens, tgtTokens)} words (over ${maxTokens})`);
    const key = `${source}\u0000${target}`;
    const first = exact.get(key);
    if (first !== undefined) add('duplicate', `exact duplicate of pair ${first}`);
    else {
      exact.set(key, id);
      const nkey = `${normaliseForDuplicates(source)}\u0000${normaliseForDuplicates(target)}`;
      const nfirst = near.get(nkey);
      if (nfirst !== undefined) add('near_duplicate', `same as pair ${nfirst} up to case, spacing and punctuation`);
      else near.set(nkey, id);
    }
    if (target.trim() && !DEVANAGARI.test(target)) add('target_not_devanagari', 'Hindi side has no Devanagari');
    if (DEVANAGARI.test(source)) add('source_has_devanagari', 'English side contains Devanagari');
    if (LATIN_DANDA.test(target)) {
      const ch = target.trimEnd().slice(-1);
      add('latin_danda', `Latin "${ch}" typed for the danda "।"`, { source, target: fixLatinDanda(target) });
    }
    if (ZERO_WIDTH.test(source) || ZERO_WIDTH.test(target)) {
      const cps = [...(source + target)].filter((c) => ZERO_WIDTH.test(c)).map((c) => `U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`);
      const fixed = { source: stripZeroWidth(source), target: stripZeroWidth(target) };
      const legit = fixed.source === source && fixed.target === target;
      add('zero_width', `zero-width character ${[...new Set(cps)].join(', ')}${legit ? ' (a joiner inside a Devanagari cluster: kept by the fix)' : ''}`, legit ? undefined : fixed);
    }
    if (srcTokens > 0 && tgtTokens > 0 && Math.max(srcTokens, tgtTokens) >= 4) {
      const ratio = Math.max(srcTokens / tgtTokens, tgtTokens / srcTokens);
      if (ratio > maxRatio) add('length_ratio', `length ratio ${ratio.toFixed(1)} (${srcTokens} vs ${tgtTokens} words)`);
    }
    if (source.trim() && source.trim() === target.trim()) add('untranslated', 'target is a copy of the source');
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
