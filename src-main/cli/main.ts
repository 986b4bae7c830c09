import { WorkbenchError } from '../common/errors.ts';
import { defaultStorePath } from '../core/store/default-store.ts';
import { CliContext, UsageError, type Command } from './context.ts';

/**
 * `workbench [--db PATH] <command> ...`: the command-line door into the core.
 * Each command lives in commands/<name>.ts and is loaded only when used, so
 * `workbench score` does not pay for TensorFlow.js start-up.
 */
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  dataset: () => import('./commands/dataset.ts'),
  train: () => import('./commands/train.ts'),
  runs: () => import('./commands/runs.ts'),
  translate: () => import('./commands/translate.ts'),
  evaluate: () => import('./commands/evaluate.ts'),
  score: () => import('./commands/score.ts'),
  compare: () => import('./commands/compare.ts'),
  export: () => import('./commands/export.ts'),
  average: () => import('./commands/average.ts'),
  import: () => import('./commands/import.ts'),
  serve: () => import('./commands/serve.ts'),
  sweep: () => import('./commands/sweep.ts'),
  queue: () => import('./commands/queue.ts'),
};

const HELP = `workbench: train, compare and probe sequence-to-sequence translation models

usage: workbench [--db PATH] <command> [options]

The experiment store is --db PATH, else $WORKBENCH_DB, else the workbench's own
${defaultStorePath()} (whatever the working directory; the app uses it too).
Run \`workbench <command> --help\` for a command's options.

commands:`;

export async function main(argv: string[]): Promise<number> {
  // `workbench runs show 1 | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  let dbOption: string | undefined;
  const args = [...argv];
  while (args.length > 0 && args[0].startsWith('--db')) {
    const flag = args.shift() as string;
    if (flag.startsWith('--db=')) dbOption = flag.slice(5);
    else dbOption = args.shift();
    if (!dbOption) return fail('--db needs a path', 2);
  }
  const name = args.shift();
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP + '\n');
    for (const [cmd, load] of Object.entries(COMMANDS)) {
      const { command } = await load();
      process.stdout.write(`  ${cmd.padEnd(10)} ${command.summary}\n`);
    }
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) return fail(`unknown command "${name}" (see workbench --help)`, 2);

  const ctx = CliContext.fromDbOption(dbOption);
  try {
    const { command } = await load();
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(command.usage.trimEnd() + '\n');
      return 0;
    }
    const code = await command.run(args, ctx);
    return code ?? 0;
  } catch (err) {
    if (err instanceof UsageError) return fail(`${err.message}\n\n${err.usage.trimEnd()}`, 2);
    if (err instanceof WorkbenchError) return fail(err.message, 1);
    if (err instanceof Error && err.name === 'ConfigError') return fail(err.message, 1);
    // An unexpected failure: still one readable line, with the stack only on request.
    const message = err instanceof Error ? err.message : String(err);
    if (process.env.WORKBENCH_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return fail(`internal error: ${message} (set WORKBENCH_DEBUG=1 for the stack)`, 1);
  } finally {
    ctx.close();
  }
}

function fail(message: string, code: number): number {
  process.stderr.write(`workbench: ${message}\n`);
  return code;
}
