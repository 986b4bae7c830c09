import { constants } from 'node:os';

/**
 * What a run becomes when its trainer process ended WITHOUT recording its own
 * end (a trainer that finishes, fails or is cancelled records that itself, and
 * the launchers only move runs still marked active). One rule for both
 * launchers, the Node child process and Electron's utilityProcess:
 *
 * - killed from outside (kill -9, the out-of-memory killer, a SIGTERM/SIGINT/
 *   SIGHUP that came before its handlers): nothing is wrong with the run, it
 *   is `interrupted` and resumes from its last checkpoint;
 * - a crash (SIGSEGV, SIGABRT, ...) or an error exit: `failed`, with the last
 *   lines it printed.
 *
 * Reasons never start with the status: the doors print "run N <status>: <reason>".
 */
export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** the tail of what the process printed on stderr */
  stderr: string;
}

export interface ExitOutcome {
  status: 'interrupted' | 'failed';
  reason: string;
}

/** Signals that stop a healthy process from outside. */
const STOPPED_FROM_OUTSIDE: ReadonlySet<NodeJS.Signals> = new Set([
  'SIGKILL',
  'SIGTERM',
  'SIGINT',
  'SIGHUP',
  'SIGQUIT',
]);

export function outcomeOfUnrecordedExit(exit: TrainerExit, runId: number): ExitOutcome {
  // 128 + N is how shells and process wrappers report death by signal N.
  const signal =
    exit.signal ?? (exit.code !== null && exit.code > 128 && exit.code < 160 ? signalName(exit.code - 128) : null);
  const printed = exit.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
  const resume = `resume with "workbench runs resume ${runId}"`;
  if (signal === 'SIGKILL')
    return {
      status: 'interrupted',
      reason: `the trainer was killed (SIGKILL: kill -9 or the out-of-memory killer); ${resume}`,
    };
  if (signal && STOPPED_FROM_OUTSIDE.has(signal))
    return { status: 'interrupted', reason: `the trainer was stopped from outside (${signal}); ${resume}` };
  if (signal) return { status: 'failed', reason: `the trainer crashed (${signal})${printed ? `: ${printed}` : ''}` };
  if (exit.code !== 0) return { status: 'failed', reason: printed || `training process exited with code ${exit.code}` };
  return { status: 'failed', reason: 'training process ended without recording a result' };
}

/**
 * Electron's utilityProcess 'exit' event carries one number, no signal. On
 * POSIX it is the exit code when the process ended through process.exit(n),
 * but the raw wait status when it was killed or crashed: the signal number,
 * plus 0x80 when a core was dumped (kill -9 reports 9). Numbers that are both
 * a plausible exit code and a signal are read as exit codes, except the
 * signals a trainer dies of (its own exits are 0, 1 and 70; Node's are 1, 7
 * and 13 at most). On Windows the number is the exit code.
 */
export function utilityProcessExit(
  code: number,
  platform: NodeJS.Platform = process.platform,
): { code: number | null; signal: NodeJS.Signals | null } {
  if (platform === 'win32') return { code, signal: null };
  // A raw status of a normal exit: the code is in the second byte.
  if (code >= 256 && code % 256 === 0) return { code: code / 256, signal: null };
  const sig = code > 128 && code < 160 ? code - 128 : code;
  const name = SIGNALS_REPORTED_AS_CODES.has(sig) ? signalName(sig) : null;
  return name ? { code: null, signal: name } : { code, signal: null };
}

/** SIGINT, SIGABRT, SIGKILL, SIGSEGV, SIGTERM by number (the same on Linux and macOS). */
const SIGNALS_REPORTED_AS_CODES: ReadonlySet<number> = new Set([2, 6, 9, 11, 15]);

function signalName(n: number): NodeJS.Signals | null {
  const entry = Object.entries(constants.signals).find(([, v]) => v === n);
  return entry ? (entry[0] as NodeJS.Signals) : null;
}
