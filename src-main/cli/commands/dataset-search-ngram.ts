import { badInput } from '../../common/errors.ts';
import { NGRAM_MAX_LIMIT, NGRAM_SIDES, type NgramSide } from '../../common/ngram-search.ts';
import { searchPairsByNgram } from '../../core/data/ngram-search.ts';
import { getDataset } from '../../core/store/datasets.ts';
import { parseCommandArgs, requireInt, UsageError, type CliContext } from '../context.ts';

/**
 * `workbench dataset search-ngram NAME "words"`: the training pairs that contain the words together and in
 * order (the full-text index, core/data/ngram-search.ts), best matches first: where a bad output's n-gram
 * came from.
 */
export const SEARCH_NGRAM_USAGE = `usage: workbench dataset search-ngram NAME "WORDS" [--side source|target|both]
                                    [--offset N] [--limit N] [--json]

  The pairs whose source or target (--side) holds WORDS as a phrase: the same words, in order, next to
  each other (case, punctuation and Latin accents aside; Hindi words match whole). Ranked by bm25
  (rarer words, shorter sentences first). Matches are shown in [brackets]; at most ${NGRAM_MAX_LIMIT} a page.
`;

const OPTIONS = {
  side: { type: 'string' },
  offset: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The text with [brackets] around each span. */
function mark(text: string, spans: ReadonlyArray<readonly [number, number]>): string {
  let out = '';
  let at = 0;
  for (const [a, b] of spans) {
    out += `${text.slice(at, a)}[${text.slice(a, b)}]`;
    at = b;
  }
  return out + text.slice(at);
}

export function searchNgramCommand(args: string[], ctx: CliContext): void {
  const { values: o, positionals } = parseCommandArgs(args, OPTIONS, SEARCH_NGRAM_USAGE);
  const [name, ...words] = positionals;
  if (!name) throw new UsageError('dataset search-ngram: missing NAME', SEARCH_NGRAM_USAGE);
  if (words.length === 0)
    throw new UsageError('dataset search-ngram: missing the words to search for', SEARCH_NGRAM_USAGE);
  if (o.side !== undefined && !NGRAM_SIDES.includes(o.side as NgramSide))
    throw badInput(`--side must be one of ${NGRAM_SIDES.join(', ')}, got "${o.side}"`, { field: 'side' });
  const db = ctx.store();
  const ds = getDataset(db, name);
  const started = performance.now();
  const page = searchPairsByNgram(db, ds.id, words.join(' '), {
    side: (o.side as NgramSide | undefined) ?? 'both',
    offset: o.offset ? requireInt(o.offset, 'offset') : 0,
    limit: o.limit ? requireInt(o.limit, 'limit') : 20,
  });
  const ms = performance.now() - started;
  if (o.json) return ctx.printJson({ dataset: ds.name, ...page });
  ctx.print(
    `${ds.name}: ${page.total} pair(s) contain "${page.words.join(' ')}"` +
      `${page.total ? `, showing ${page.rows.length} from ${page.offset}` : ''} (${ms.toFixed(0)} ms)`,
  );
  for (const r of page.rows)
    ctx.print(
      `${String(r.id).padStart(8)}  ${mark(r.source, r.sourceMatches)}\t${mark(r.target, r.targetMatches)}` +
        `${r.tags ? `  [tags: ${r.tags}]` : ''}`,
    );
}
