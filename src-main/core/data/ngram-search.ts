import { badInput } from '../../common/errors.ts';
import {
  NGRAM_MAX_LIMIT,
  NGRAM_RANK_WINDOW,
  type MatchSpan,
  type NgramHitDto,
  type NgramPageDto,
  type NgramSide,
} from '../../common/ngram-search.ts';
import type { PairRow } from '../store/datasets.ts';
import type { Db } from '../store/db.ts';

/**
 * "Which training pairs contain these words?": a phrase search of the full-text
 * index (store/pairs-fts.ts) for an n-gram taken from a model's output, on one
 * side or both, best matches first (bm25: rarer words and shorter sentences
 * rank higher), a page at a time, with where each match lies so a view can
 * highlight it. The words must appear together and in order, as tokenized by
 * the index (case, punctuation and Latin accents do not count).
 */
export interface NgramQuery {
  side?: NgramSide;
  offset?: number;
  limit?: number;
  /** how many matches are counted and ranked (default NGRAM_RANK_WINDOW) */
  window?: number;
}

export type NgramHit = NgramHitDto;
export type NgramPage = NgramPageDto;

/** What the index counts as a word character (its tokenizer's categories; see PAIRS_FTS_TOKENIZER). */
const WORD = /[\p{L}\p{N}\p{Co}\p{Mn}\p{Mc}\u200c\u200d]+/gu;

/**
 * The FTS5 query of a phrase on a side. Only the text's words go in, inside one quoted phrase: quotes, `*`,
 * parentheses and AND/OR/NEAR in the text are never query syntax.
 */
export function ngramMatchQuery(text: string, side: NgramSide): { match: string; words: string[] } {
  const words = text.match(WORD) ?? [];
  if (words.length === 0) throw badInput('give at least one word to search for', { field: 'text' });
  const phrase = `"${words.join(' ')}"`;
  return { match: side === 'both' ? phrase : `{${side}} : ${phrase}`, words };
}

const OPEN = '\u0001';
const CLOSE = '\u0002';

/** Splits highlight()'s marked text into the spans between its markers (the text itself is the pair's). */
function spans(marked: string | null): MatchSpan[] {
  const out: MatchSpan[] = [];
  if (!marked) return out;
  let pos = 0;
  let start = -1;
  for (const ch of marked) {
    if (ch === OPEN) start = pos;
    else if (ch === CLOSE) {
      if (start >= 0) out.push([start, pos]);
      start = -1;
    } else pos += ch.length;
  }
  return out;
}

export function searchPairsByNgram(db: Db, datasetId: number, text: string, q: NgramQuery = {}): NgramPage {
  const { match, words } = ngramMatchQuery(text, q.side ?? 'both');
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 50), 1), NGRAM_MAX_LIMIT);
  const offset = Math.max(Math.trunc(q.offset ?? 0), 0);
  const window = Math.max(Math.trunc(q.window ?? NGRAM_RANK_WINDOW), 1);
  // One pass over the index: the matches up to the window, with their bm25 (so a word in most sentences
  // costs no more than a rarer one), ranked here. CROSS JOIN keeps the index outermost: SQLite's planner
  // otherwise walks the dataset's pairs and runs the whole MATCH once per pair.
  const matches = db
    .prepare(
      `SELECT f.rowid AS id, f.rank AS score FROM pairs_fts f CROSS JOIN pairs p ON p.id = f.rowid
       WHERE pairs_fts MATCH ? AND p.dataset_id = ? LIMIT ?`,
    )
    .raw()
    .all(match, datasetId, window + 1) as Array<[number, number]>;
  const totalCapped = matches.length > window;
  const total = Math.min(matches.length, window);
  if (total === 0 || offset >= total) return { total, totalCapped, offset, rows: [], words };
  const page = matches
    .slice(0, total)
    .sort((a, b) => a[1] - b[1] || a[0] - b[0])
    .slice(offset, offset + limit)
    .map(([id, score]) => ({ id, score }));
  // Only the page's pairs are highlighted.
  // The ids go in as JSON integers: a JS number is bound as a REAL, and FTS5 then ignores `rowid = ?`
  // (it answers with every match).
  const marked = new Map(
    (
      db
        .prepare(
          `SELECT rowid AS id, highlight(pairs_fts, 0, char(1), char(2)) AS s,
             highlight(pairs_fts, 1, char(1), char(2)) AS t
           FROM pairs_fts WHERE pairs_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`,
        )
        .all(match, JSON.stringify(page.map((p) => p.id))) as Array<{ id: number; s: string | null; t: string | null }>
    ).map((m) => [m.id, m]),
  );
  const pair = db.prepare('SELECT id, ord, source, target, tags, notes, meta, updated_at FROM pairs WHERE id = ?');
  const rows = page.map(({ id, score }): NgramHit => {
    const m = marked.get(id);
    return {
      ...(pair.get(id) as PairRow),
      score,
      sourceMatches: spans(m?.s ?? null),
      targetMatches: spans(m?.t ?? null),
    };
  });
  return { total, totalCapped, offset, rows, words };
}
