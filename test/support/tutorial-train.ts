import { fileURLToPath } from 'node:url';

/** bin/workbench.js of this checkout: the CLI as a user runs it, in a child process. */
export const WORKBENCH = fileURLToPath(new URL('../../bin/workbench.js', import.meta.url));

/**
 * The argv (after `--db FILE`) of `workbench train` on the tutorial dataset and preset, the one training
 * run the CLI tests start: each `set` as `--set key=value`, `args` (e.g. --backend) after them, and
 * `--json` last unless `json: false`.
 */
export function tutorialTrainArgs(
  opts: { set?: Record<string, string | number | boolean>; args?: readonly string[]; json?: boolean } = {},
): string[] {
  const sets = Object.entries(opts.set ?? {}).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  const json = opts.json === false ? [] : ['--json'];
  return ['train', '--dataset', 'builtin:tutorial', '--preset', 'tutorial', ...sets, ...(opts.args ?? []), ...json];
}

/** The run a `train --json` ended with: its last line of output. */
export function trainResult(stdout: string): { runId: number; status: string; error?: string } {
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as { runId: number; status: string; error?: string };
}
