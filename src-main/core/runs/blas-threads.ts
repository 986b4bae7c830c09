import { availableParallelism } from 'node:os';
import type { Db } from '../store/db.ts';
import { isProcessAlive } from '../process-alive.ts';

/**
 * How many OpenBLAS threads one trainer uses. The products are most of a step, and on a small machine a
 * second thread makes a lone trainer ~1.5x faster (real-data step 2,635 -> 1,763 ms on 2 cores), while two
 * trainers with two threads each on 2 cores fight for them and both lose. So a trainer takes the cores
 * shared by the trainers alive now, and looks again as others start and finish. OPENBLAS_NUM_THREADS, when
 * set, is the user's choice and is kept.
 */
export function blasThreadsFor(explicit: string | undefined, cores: number, liveTrainers: number): number {
  const fixed = Number(explicit);
  if (explicit !== undefined && explicit !== '' && Number.isInteger(fixed) && fixed > 0) return fixed;
  return Math.max(1, Math.floor(cores / Math.max(1, liveTrainers)));
}

/** Runs marked running whose trainer process is alive (a killed one stays "running" until recovered). */
export function countLiveTrainers(db: Db): number {
  const rows = db.prepare(`SELECT pid FROM runs WHERE status = 'running' AND pid IS NOT NULL`).all() as Array<{
    pid: number;
  }>;
  return rows.filter((r) => isProcessAlive(r.pid)).length;
}

export interface BlasThreadSharing {
  /** the threads set last */
  readonly threads: number;
  stop(): void;
}

/**
 * Sets the threads now and every `intervalMs` after (between training steps: the timer fires when a step
 * yields). `setThreads` is the addon's; without the addon there is nothing to share.
 */
export function shareBlasThreads(
  db: Db,
  setThreads: (n: number) => void,
  o: { cores?: number; intervalMs?: number; explicit?: string } = {},
): BlasThreadSharing {
  const cores = o.cores ?? availableParallelism();
  let threads = 0;
  const look = () => {
    let live: number;
    try {
      live = countLiveTrainers(db);
    } catch {
      return; // a store busy with another writer's lock: keep the threads until the next look
    }
    const next = blasThreadsFor('explicit' in o ? o.explicit : process.env.OPENBLAS_NUM_THREADS, cores, live);
    if (next !== threads) setThreads((threads = next));
  };
  look();
  const timer = setInterval(look, o.intervalMs ?? 10_000);
  timer.unref();
  return {
    get threads() {
      return threads;
    },
    stop: () => clearInterval(timer),
  };
}
