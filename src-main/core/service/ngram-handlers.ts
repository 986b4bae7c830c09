import { searchPairsByNgram } from '../data/ngram-search.ts';
import { getDataset } from '../store/datasets.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';

/** "Curate from errors": the training pairs that contain an output's words (the full-text index). */
export function ngramHandlers(h: Pick<HandlerContext, 'db'>): HandlersOf<'pairs.searchNgram'> {
  const { db } = h;
  return {
    'pairs.searchNgram': ({ name, text, side, offset, limit }) =>
      searchPairsByNgram(db, getDataset(db, name).id, text, { side, offset, limit }),
  };
}
