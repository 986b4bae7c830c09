import { PRESET_NAMES } from '../../common/config.ts';
import type { BackendPreference } from '../../common/backends.ts';
import type { RunHandle } from '../../core/runs/launcher.ts';
import { launchRun } from '../../core/runs/lifecycle.ts';
import { getRun, recoverInterruptedRuns, type RunStatus } from '../../core/store/runs.ts';
import { chooseBackend } from '../../core/tf/backend-choice.ts';
import { parseCommandArgs, type CliContext, type Command } from '../context.ts';
import { formatEta, ProgressBar } from '../progress.ts';
import { BACKEND_FLAG_USAGE, RUN_FLAGS, RUN_FLAGS_USAGE } from '../run-flags.ts';

const USAGE = `usage: workbench train ${RUN_FLAGS_USAGE}
                      [--init-from RUN[:CHECKPOINT]] ${BACKEND_FLAG_USAGE} [--name N] [--json]

Trains in a separate process and records everything in the store. Ctrl+C
finishes the current update, saves a checkpoint and marks the run cancelled
(resume it with: workbench runs resume ID). If this command is killed or its
terminal closes, the trainer does the same and marks the run interrupted.
--init-from fine-tunes: the run starts from that run's weights (best checkpoint unless
CHECKPOINT says latest, averaged or a step) and keeps its vocabulary (config key load_model).
With --json the last line is {"runId": …, "status": …}.
presets: ${PRESET_NAMES.join(', ')}`;

export const command: Command = {
  summary: 'train a model (presets, config file, --set overrides) in a separate process',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o } = parseCommandArgs(args, { ...RUN_FLAGS, 'init-from': { type: 'string' } }, USAGE);
    const db = ctx.store();
    recoverInterruptedRuns(db);
    // Everything is checked before the run exists: a refused command leaves no run behind.
    const config = o['init-from'] ? { load_model: o['init-from'] } : undefined;
    const req = { dataset: o.dataset, preset: o.preset, configFile: o.config, config, set: o.set, name: o.name };
    const handle = await launchRun(db, ctx.dbPath, req, { backend: o.backend });
    return followRun(ctx, handle, { json: o.json });
  },
};

/** --backend for translate, evaluate and compare: the name checked, and refused when it cannot load here. */
export function backendOption(b: string | undefined): BackendPreference {
  return chooseBackend(b);
}

/** Shows a started trainer's progress, forwards Ctrl+C as cancel, and reports the end. */
export async function followRun(ctx: CliContext, handle: RunHandle, opts: { json?: boolean }): Promise<number> {
  const db = ctx.store();
  const { runId } = handle;
  const bar = new ProgressBar(ctx.isTTY && !opts.json);
  if (!opts.json) ctx.stderr.write(`run ${runId} started (pid ${handle.pid}); Ctrl+C cancels and saves a checkpoint\n`);
  handle.on('progress', (p) => {
    const loss = p.loss === null ? '' : `  loss ${p.loss.toFixed(3)}`;
    const tps = p.tokensPerSecond === null ? '' : `  ${Math.round(p.tokensPerSecond)} tok/s`;
    bar.update(
      p.fraction,
      `${p.phase} epoch ${p.epoch.toFixed(2)} step ` +
        `${p.step}/${p.totalSteps}${loss}${tps}  ETA ${formatEta(p.etaSeconds)}`,
    );
  });
  const onSigint = () => handle.cancel();
  process.on('SIGINT', onSigint);
  const status = await new Promise<RunStatus>((resolve) => handle.on('exit', resolve));
  process.off('SIGINT', onSigint);
  bar.done();
  const run = getRun(db, runId);
  if (opts.json) ctx.printJson({ runId, status, error: run.error });
  else ctx.print(`run ${runId} ${status}${run.error ? `: ${run.error}` : ''} (details: workbench runs show ${runId})`);
  return status === 'completed' || status === 'cancelled' ? 0 : 1;
}
