/**
 * SQLITE_BUSY: another connection (a trainer, an import, the UI, another CLI
 * command) holds the store's write lock for longer than this connection's busy
 * timeout. Writers that must not lose their write wait and retry here, off the
 * synchronous busy handler, so the event loop keeps running meanwhile.
 */

/** The busy timeout of every connection: $WORKBENCH_BUSY_TIMEOUT_MS (tests shorten it), else 10 s. */
export function busyTimeoutMs(): number {
  const raw = process.env.WORKBENCH_BUSY_TIMEOUT_MS;
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 10_000;
}

/** Whether an error is SQLite saying the store is locked by another connection (worth retrying). */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export interface RetryOptions {
  /** give up (rethrow the busy error) after this long; default: no limit */
  deadlineMs?: number;
  /** called before each wait, e.g. to log that the store is busy */
  onBusy?: (attempt: number) => void;
}

/**
 * Runs `write` until it does not fail with SQLITE_BUSY, waiting between tries
 * (50 ms doubling to 2 s). Any other error is thrown at once. `write` must be
 * all-or-nothing (one transaction), so a failed try left nothing behind.
 */
export async function retryWhileBusy<T>(write: () => T, opts: RetryOptions = {}): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return write();
    } catch (err) {
      if (!isBusy(err)) throw err;
      if (opts.deadlineMs !== undefined && Date.now() - started >= opts.deadlineMs) throw err;
      opts.onBusy?.(attempt);
      await backoff(attempt);
    }
  }
}

/** The wait before try `attempt + 1` of a busy write: 50 ms doubling to 2 s. */
export const backoff = (attempt: number) =>
  new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** Math.min(attempt - 1, 6))));
