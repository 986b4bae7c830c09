import type { Db } from '../../store/db.ts';
import { datasetContentKey } from '../dataset-content-key.ts';
import { isCopy } from '../rules/copy.ts';
import { exactDuplicateKey, nearDuplicateKey } from '../rules/duplicate-keys.ts';
import { numbersDiffer } from '../rules/numbers.ts';
import { scriptShares, shareOf } from '../rules/script.ts';
import { wordCount } from '../rules/words.ts';
import { shippedLanguageIdentifier } from './langid.ts';

/**
 * What the filters read of every pair, measured once per dataset content and
 * kept as columns (typed arrays, index = position in dataset order): moving a
 * threshold then re-runs only comparisons over these, not a pass over the
 * texts (1M pairs: about 40 MB, and milliseconds per preview after the first).
 * The language columns cost most and are measured only when a pipeline asks.
 */
export interface PairFeatures {
  n: number;
  ids: Float64Array;
  srcTokens: Uint32Array;
  tgtTokens: Uint32Array;
  /** share of the English side's letters that are Latin, of the Hindi side's that are Devanagari */
  srcLatin: Float32Array;
  tgtDevanagari: Float32Array;
  exactKey: Float64Array;
  nearKey: Float64Array;
  /** 1: the target copies the source */
  copy: Uint8Array;
  /** 1: the digit sequences differ */
  numbersDiffer: Uint8Array;
  /** lazily: languageColumns() */
  language?: LanguageColumns;
}

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

export function measurePairs(db: Db, datasetId: number): PairFeatures {
  const n = (db.prepare('SELECT count(*) AS n FROM pairs WHERE dataset_id = ?').get(datasetId) as { n: number }).n;
  const f: PairFeatures = {
    n,
    ids: new Float64Array(n),
    srcTokens: new Uint32Array(n),
    tgtTokens: new Uint32Array(n),
    srcLatin: new Float32Array(n),
    tgtDevanagari: new Float32Array(n),
    exactKey: new Float64Array(n),
    nearKey: new Float64Array(n),
    copy: new Uint8Array(n),
    numbersDiffer: new Uint8Array(n),
  };
  let i = 0;
  for (const { id, source, target } of iterateTexts(db, datasetId)) {
    if (i >= n) break; // read in one statement: a concurrent insert cannot grow it, but stay inside the arrays
    f.ids[i] = id;
    f.srcTokens[i] = wordCount(source);
    f.tgtTokens[i] = wordCount(target);
    f.srcLatin[i] = shareOf(scriptShares(source), 'latin');
    f.tgtDevanagari[i] = shareOf(scriptShares(target), 'devanagari');
    f.exactKey[i] = exactDuplicateKey(source, target);
    f.nearKey[i] = nearDuplicateKey(source, target);
    f.copy[i] = isCopy(source, target) ? 1 : 0;
    f.numbersDiffer[i] = numbersDiffer(source, target) ? 1 : 0;
    i++;
  }
  f.n = i;
  return f;
}

export function measureLanguages(db: Db, datasetId: number, f: PairFeatures): LanguageColumns {
  const lid = shippedLanguageIdentifier();
  const en = lid.indexOf('en');
  const hi = lid.indexOf('hi');
  const c: LanguageColumns = {
    srcLetters: new Uint32Array(f.n),
    tgtLetters: new Uint32Array(f.n),
    srcBest: new Uint8Array(f.n),
    tgtBest: new Uint8Array(f.n),
    srcMargin: new Float32Array(f.n),
    tgtMargin: new Float32Array(f.n),
  };
  let i = 0;
  for (const { id, source, target } of iterateTexts(db, datasetId)) {
    if (i >= f.n || f.ids[i] !== id) break; // the pairs changed since the first pass: the cache key will differ too
    const s = lid.judge(source, en);
    const t = lid.judge(target, hi);
    c.srcLetters[i] = s.letters;
    c.srcBest[i] = s.best;
    c.srcMargin[i] = s.margin;
    c.tgtLetters[i] = t.letters;
    c.tgtBest[i] = t.best;
    c.tgtMargin[i] = t.margin;
    i++;
  }
  return c;
}

/**
 * The features of a dataset, cached on the connection (a WeakMap: it goes with
 * the Db) for its latest content (datasetContentKey): one dataset's columns per
 * connection, so a 1M-pair dataset's 40 MB are not kept for every dataset opened.
 */
const cache = new WeakMap<Db, { datasetId: number; key: string; features: PairFeatures }>();

export function pairFeatures(db: Db, datasetId: number, opts: { language?: boolean } = {}): PairFeatures {
  const key = datasetContentKey(db, datasetId);
  const hit = cache.get(db);
  let features: PairFeatures;
  if (hit && hit.datasetId === datasetId && hit.key === key) features = hit.features;
  else {
    features = measurePairs(db, datasetId);
    cache.set(db, { datasetId, key, features });
  }
  if (opts.language && !features.language) features.language = measureLanguages(db, datasetId, features);
  return features;
}
