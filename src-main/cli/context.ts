import { parseArgs, type ParseArgsConfig } from 'node:util';
import { WorkbenchError } from '../common/errors.ts';
import { openDb, resolveDbPath, type Db } from '../core/store/db.ts';

/** What every command gets: the store (opened on first use), output streams, TTY-ness. */
export class CliContext {
  private db: Db | undefined;
  constructor(
    readonly dbPath: string,
    readonly stdout: NodeJS.WritableStream = process.stdout,
    readonly stderr: NodeJS.WritableStream = process.stderr,
    readonly isTTY: boolean = Boolean(process.stderr.isTTY),
  ) {}

  static fromDbOption(db?: string): CliContext {
    return new CliContext(resolveDbPath(db));
  }

  store(): Db {
    this.db ??= openDb(this.dbPath);
    return this.db;
  }

  print(line = ''): void {
    this.stdout.write(line + '\n');
  }

  printJson(value: unknown): void {
    this.stdout.write(JSON.stringify(value) + '\n');
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}

/** A wrong invocation: printed with the command's usage, exit status 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

export interface Command {
  /** One line for `workbench --help`. */
  summary: string;
  usage: string;
  run(args: string[], ctx: CliContext): Promise<number | void>;
}

/** node:util parseArgs with errors turned into UsageError naming the command. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message, usage);
  }
}

export function requireInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n)) {
    throw new WorkbenchError('bad_input', `${name} must be an integer, got "${value ?? ''}"`, { field: name });
  }
  return n;
}
