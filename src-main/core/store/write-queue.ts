import { backoff, isBusy } from './busy.ts';
import type { Db } from './db.ts';

/**
 * Writes that must reach the store in order even while another connection holds
 * its write lock past the busy timeout (a long import elsewhere, a stuck
 * process): the trainer records metrics, samples, checkpoints and its final
 * status through one of these, so its run never fails because the store was
 * busy. A write the store refuses as busy stays queued, with everything after it,
 * and is retried at the next write or by drain(); each is one transaction that
 * takes the write lock first, so a refused try left nothing behind. Writes of
 * which only the newest matters (the progress heartbeat) are skipped while busy.
 */
export class WriteQueue {
  private readonly pending: Array<() => void> = [];

  constructor(private readonly db: Db) {}

  /** How many writes wait for the store (0 when it took everything). */
  get backlog(): number {
    return this.pending.length;
  }

  /** Records now, or, when the store is busy, after the writes queued before it. */
  write(write: () => void): void {
    this.pending.push(write);
    this.flush();
  }

  /** Records now if nothing is queued and the store is free; otherwise drops it (a later one replaces it). */
  writeIfFree(write: () => void): void {
    if (!this.flush()) return;
    try {
      this.db.transaction(write).immediate();
    } catch (err) {
      if (!isBusy(err)) throw err;
    }
  }

  /** Tries the queued writes in order; whether all are in the store. Errors other than busy are thrown. */
  flush(): boolean {
    while (this.pending.length > 0) {
      try {
        this.db.transaction(this.pending[0]).immediate();
      } catch (err) {
        if (isBusy(err)) return false;
        this.pending.shift(); // a broken write is not retried forever; the caller hears of it
        throw err;
      }
      this.pending.shift();
    }
    return true;
  }

  /** Resolves once every queued write is in the store, retrying (off the event loop) as long as it takes. */
  async drain(): Promise<void> {
    for (let attempt = 1; !this.flush(); attempt++) await backoff(attempt);
  }
}
