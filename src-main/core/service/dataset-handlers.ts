import { WorkbenchError } from '../../common/errors.ts';
import { applyFixes } from '../data/fixes.ts';
import { validateDataset, type FindingKind } from '../data/findings.ts';
import { editHistory, editPairs, redo, undo } from '../data/pairs.ts';
import { searchPairs } from '../data/regex-search.ts';
import { createSplit, listSplits } from '../data/splits.ts';
import { datasetStats } from '../data/stats.ts';
import { deleteDataset, getDataset, listDatasets } from '../store/datasets.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';

/** Datasets, their pairs, edits and splits: thin calls into core/data and the store. */
type DatasetChannel =
  | 'datasets.list'
  | 'datasets.stats'
  | 'datasets.findings'
  | 'datasets.fix'
  | 'files.pick'
  | 'datasets.delete'
  | 'datasets.splits'
  | 'datasets.split'
  | 'pairs.list'
  | 'pairs.edit'
  | 'pairs.undo'
  | 'pairs.redo'
  | 'pairs.history';

export function datasetHandlers(h: HandlerContext): HandlersOf<DatasetChannel> {
  const { db } = h;
  const ds = (name: string) => getDataset(db, name);
  return {
    'datasets.list': () => listDatasets(db),
    'datasets.stats': ({ name }) => datasetStats(db, ds(name).id),
    'datasets.findings': ({ name }) => validateDataset(db, ds(name).id),
    // Core applyFixes composes several fixes of one pair; a kind without a safe fix is a bad_input.
    'datasets.fix': ({ name, kind, pairIds }) => ({
      fixed: applyFixes(db, ds(name).id, { kind: kind as FindingKind | undefined, pairIds }).fixed,
    }),
    'files.pick': async ({ title, multiple }) => {
      if (!h.pickFiles)
        throw new WorkbenchError('unsupported', 'a browser cannot pick files by path: upload the file instead');
      return { paths: await h.pickFiles({ title, multiple }) };
    },
    'datasets.delete': ({ name }) => {
      deleteDataset(db, ds(name).id);
      return { deleted: name };
    },
    'datasets.splits': ({ name }) => listSplits(db, ds(name).id),
    'datasets.split': ({ name, splitName, seed, valid_ratio, test_ratio }) =>
      createSplit(db, ds(name).id, splitName, { seed, valid_ratio, test_ratio }, true),
    // A regular expression runs off the event loop, within a time limit (regex-search.ts).
    'pairs.list': ({ name, finding, ...q }) =>
      searchPairs(db, ds(name).id, { ...q, finding: finding as FindingKind | undefined }, { signal: h.closing }),
    'pairs.edit': ({ name, label, changes }) => editPairs(db, ds(name).id, label, changes),
    'pairs.undo': ({ name }) => undo(db, ds(name).id),
    'pairs.redo': ({ name }) => redo(db, ds(name).id),
    'pairs.history': ({ name }) => editHistory(db, ds(name).id),
  };
}
