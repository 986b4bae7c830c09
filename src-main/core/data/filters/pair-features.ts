import { conflict } from '../../../common/errors.ts';
import type { Db } from '../../store/db.ts';
import { datasetContentKey } from '../dataset-content-key.ts';
import { isCopy } from '../rules/copy.ts';
import { exactDuplicateKey, nearDuplicateKey } from '../rules/duplicate-keys.ts';
import { numbersDiffer } from '../rules/numbers.ts';
import { scriptShares, shareOf } from '../rules/script.ts';
import { wordCount } from '../rules/words.ts';
import { NO_PROGRESS, reportEvery, type TaskProgress } from '../task-progress.ts';
import { shippedLanguageIdentifier } from './langid.ts';

/**
 * What the filters read of every pair, measured once per dataset content and
 * kept as columns (typed arrays, index = position in dataset order): moving a
 * threshold then re-runs only comparisons over these, not a pass over the
 * texts (1M pairs: about 30 MB, and tens of milliseconds per preview after the
 * first). The costly groups (near-duplicate keys, numbers, language) are
 * measured only when a pipeline asks for them, in one pass for all missing.
 */
export interface PairFeatures {
  n: number;
  ids: Float64Array;
  srcTokens: Uint32Array;
  tgtTokens: Uint32Array;
  /** share of the English side's letters that are Latin, of the Hindi side's that are Devanagari */
  srcLatin: Float32Array;
  tgtDevanagari: Float32Array;
  /** per position: the position of the first pair with the same exact key (itself when it is the first) */
  exactGroup: Int32Array;
  /** 1: the target copies the source */
  copy: Uint8Array;
  /** the same for the near-duplicate key (lazily) */
  nearGroup?: Int32Array;
  /** 1: the digit sequences differ (lazily) */
  numbersDiffer?: Uint8Array;
  language?: LanguageColumns;
}

export type FeatureGroup = 'near' | 'numbers' | 'language';

export interface LanguageColumns {
  /** per side: letters judged, the winning language (index into the identifier's languages), expected's margin */
  srcLetters: Uint32Array;
  tgtLetters: Uint32Array;
  srcBest: Uint8Array;
  tgtBest: Uint8Array;
  srcMargin: Float32Array;
  tgtMargin: Float32Array;
}

interface Text {
  id: number;
  source: string;
  target: string;
}

function iterateTexts(db: Db, datasetId: number): Iterable<Text> {
  return db
    .prepare('SELECT id, source, target FROM pairs WHERE dataset_id = ? ORDER BY ord, id')
    .iterate(datasetId) as Iterable<Text>;
}

/** Equal keys → the first position holding that key: dedup then runs over integers, not a map. */
class Grouper {
  private readonly first = new Map<number, number>();
  constructor(readonly groups: Int32Array) {}
  add(i: number, key: number): void {
    const f = this.first.get(key);
    if (f === undefined) this.first.set(key, i);
    this.groups[i] = f ?? i;
  }
}

function emptyFeatures(n: number): PairFeatures {
  return {
    n,
    ids: new Float64Array(n),
    srcTokens: new Uint32Array(n),
    tgtTokens: new Uint32Array(n),
    srcLatin: new Float32Array(n),
    tgtDevanagari: new Float32Array(n),
    exactGroup: new Int32Array(n),
    copy: new Uint8Array(n),
  };
}

function emptyLanguage(n: number): LanguageColumns {
  return {
    srcLetters: new Uint32Array(n),
    tgtLetters: new Uint32Array(n),
    srcBest: new Uint8Array(n),
    tgtBest: new Uint8Array(n),
    srcMargin: new Float32Array(n),
    tgtMargin: new Float32Array(n),
  };
}

/**
 * One pass over the texts: the base columns when `f` is null (a new measure),
 * and the groups asked for. Returns the features, or null when the pairs
 * changed under a later pass (the caller measures afresh).
 */
function measure(
  db: Db,
  datasetId: number,
  f: PairFeatures | null,
  groups: readonly FeatureGroup[],
  progress: TaskProgress,
) {
  const base = f === null;
  if (!f) {
    const count = db.prepare('SELECT count(*) FROM pairs WHERE dataset_id = ?').pluck().get(datasetId) as number;
    f = emptyFeatures(count);
  }
  const n = f.n;
  const exact = base ? new Grouper(f.exactGroup) : null;
  const near = groups.includes('near') ? new Grouper((f.nearGroup = new Int32Array(n))) : null;
  const numbers = groups.includes('numbers') ? (f.numbersDiffer = new Uint8Array(n)) : null;
  const lang = groups.includes('language') ? (f.language = emptyLanguage(n)) : null;
  const lid = lang ? shippedLanguageIdentifier() : null;
  const en = lid?.indexOf('en') ?? 0;
  const hi = lid?.indexOf('hi') ?? 0;
  const every = reportEvery(n);
  progress.report('measuring pairs', 0, n);
  let i = 0;
  for (const { id, source, target } of iterateTexts(db, datasetId)) {
    if (i >= n) return null;
    if (i % every === 0 && i > 0) progress.report('measuring pairs', i, n);
    if (base) {
      f.ids[i] = id;
      f.srcTokens[i] = wordCount(source);
      f.tgtTokens[i] = wordCount(target);
      f.srcLatin[i] = shareOf(scriptShares(source), 'latin');
      f.tgtDevanagari[i] = shareOf(scriptShares(target), 'devanagari');
      exact?.add(i, exactDuplicateKey(source, target));
      f.copy[i] = isCopy(source, target) ? 1 : 0;
    } else if (f.ids[i] !== id) return null;
    near?.add(i, nearDuplicateKey(source, target));
    if (numbers) numbers[i] = numbersDiffer(source, target) ? 1 : 0;
    if (lang && lid) {
      const s = lid.judge(source, en);
      const t = lid.judge(target, hi);
      lang.srcLetters[i] = s.letters;
      lang.srcBest[i] = s.best;
      lang.srcMargin[i] = s.margin;
      lang.tgtLetters[i] = t.letters;
      lang.tgtBest[i] = t.best;
      lang.tgtMargin[i] = t.margin;
    }
    i++;
  }
  progress.report('measuring pairs', i, n);
  return i === n ? f : null;
}

/**
 * The features of a dataset, cached on the connection (a WeakMap: it goes with
 * the Db) for its latest content (datasetContentKey): one dataset's columns per
 * connection, so a 1M-pair dataset's columns are not kept for every dataset opened.
 */
const cache = new WeakMap<Db, { datasetId: number; key: string; features: PairFeatures }>();

/** `progress` hears a pass over the texts (none when the cache has every group asked for). */
export function pairFeatures(
  db: Db,
  datasetId: number,
  groups: readonly FeatureGroup[] = [],
  progress: TaskProgress = NO_PROGRESS,
): PairFeatures {
  const key = datasetContentKey(db, datasetId);
  const hit = cache.get(db);
  const cached = hit && hit.datasetId === datasetId && hit.key === key ? hit.features : null;
  const missing = (f: PairFeatures) =>
    groups.filter((g) => (g === 'near' ? !f.nearGroup : g === 'numbers' ? !f.numbersDiffer : !f.language));
  if (cached && missing(cached).length === 0) return cached;
  // A pass reads one statement, so it sees one state of the table; one that finds the pairs changed under a
  // later pass (another process editing) starts over from a new measure.
  const f =
    (cached && measure(db, datasetId, cached, missing(cached), progress)) ||
    measure(db, datasetId, null, groups, progress) ||
    measure(db, datasetId, null, groups, progress);
  if (!f) throw conflict('the dataset changed while its pairs were being measured: try again');
  cache.set(db, { datasetId, key: datasetContentKey(db, datasetId), features: f });
  return f;
}
