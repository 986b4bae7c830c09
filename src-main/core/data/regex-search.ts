import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { badInput, WorkbenchError } from '../../common/errors.ts';
import type { PairRow } from '../store/datasets.ts';
import type { Db } from '../store/db.ts';
import { listPairs, pairQuerySql, type PairPage, type PairQuery } from './pairs.ts';

/**
 * A regular-expression search of a dataset, bounded in time. JavaScript's
 * engine backtracks: a pattern like ^(\S+\s?)*#$ over a long line runs for
 * ever, and cannot be interrupted on the thread that runs it. So the search
 * runs in a worker thread, on its own read-only connection to the store, and
 * is terminated when it runs past its time (or the caller gives up): the
 * event loop that serves everything else never runs a user's pattern.
 * (V8's linear-time engine was the other way; in Node 20 it refuses the `u`
 * flag, \p{…} and counted repetition, so it cannot run the patterns the
 * store already accepts.)
 */
export const REGEX_SEARCH_MS = 2000;

/**
 * The worker's code, plain CommonJS (it runs the same from tsx, the tests and
 * the built bundle). Its REGEXP is pairs.ts registerRegexp's, without a cache
 * (one pattern per search).
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const { file, countSql, rowsSql, args, rowArgs, pattern } = workerData;
let db;
try {
  db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  const re = new RegExp(pattern, 'u');
  db.function('regexp', { deterministic: true }, (_p, value) => (re.test(String(value)) ? 1 : 0));
  const total = db.prepare(countSql).get(...args).n;
  const rows = db.prepare(rowsSql).all(...rowArgs);
  parentPort.postMessage({ total, rows });
} catch (err) {
  parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
} finally {
  if (db) db.close();
}
`;

const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');

export interface SearchLimits {
  /** how long the search may run; past it, a bad_input on `search` */
  timeoutMs?: number;
  /** aborting ends the search at once (a closing server), as `cancelled` */
  signal?: AbortSignal;
}

/**
 * One page of pairs, as listPairs, but a regular expression runs off this
 * thread within `timeoutMs`. Other queries (and in-memory stores, which
 * another connection cannot see) run here, as they always end quickly.
 */
export async function searchPairs(
  db: Db,
  datasetId: number,
  q: PairQuery,
  limits: SearchLimits = {},
): Promise<PairPage> {
  if (!q.search || !q.regex || db.memory) return listPairs(db, datasetId, q);
  const sql = pairQuerySql(db, datasetId, q);
  const timeoutMs = limits.timeoutMs ?? REGEX_SEARCH_MS;
  const { signal } = limits;
  if (signal?.aborted) throw new WorkbenchError('cancelled', 'search cancelled');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      sqlite: sqlitePath,
      file: db.name,
      countSql: sql.countSql,
      rowsSql: sql.rowsSql,
      args: sql.args,
      rowArgs: sql.rowArgs,
      pattern: q.search,
    },
  });
  return await new Promise<PairPage>((resolve, reject) => {
    const stop = (err: Error) => {
      finish();
      reject(err);
      void worker.terminate();
    };
    const onAbort = () => stop(new WorkbenchError('cancelled', 'search cancelled'));
    const timer = setTimeout(
      () =>
        stop(
          badInput(
            `the regular expression did not finish within ${timeoutMs / 1000} s over this dataset (nested ` +
              `repetition such as (\\S+\\s?)* can take for ever on long lines): simplify it, or search without regex`,
            { field: 'search' },
          ),
        ),
      timeoutMs,
    );
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort);
    worker.once('message', (m: { total: number; rows: PairRow[] } | { error: string }) => {
      finish();
      if ('error' in m) reject(new WorkbenchError('internal', `search failed: ${m.error}`));
      else resolve({ total: m.total, offset: sql.offset, rows: m.rows });
    });
    worker.once('error', (err) => stop(new WorkbenchError('internal', `search failed: ${err.message}`)));
    worker.once('exit', () => stop(new WorkbenchError('internal', 'search stopped without an answer')));
  });
}
