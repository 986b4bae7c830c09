/**
 * Errors a user can act on. Every layer (core, CLI, IPC, HTTP) throws or returns
 * these; the doors print `message` as is (no stack trace) and the IPC contract
 * carries `code` and `where` so the UI can show the error next to its cause.
 */
export type ErrorCode =
  | 'bad_input' // malformed file, argument or request (see `where`)
  | 'not_found' // dataset, run, checkpoint, file
  | 'conflict' // name taken, run already running, ...
  | 'unsupported' // feature or backend not available here
  | 'cancelled'
  | 'internal';

export interface ErrorLocation {
  file?: string;
  line?: number;
  field?: string;
}

export class WorkbenchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly where: ErrorLocation = {},
  ) {
    super(message);
    this.name = 'WorkbenchError';
  }
}

export const badInput = (message: string, where: ErrorLocation = {}) => new WorkbenchError('bad_input', message, where);
export const notFound = (message: string) => new WorkbenchError('not_found', message);
export const conflict = (message: string) => new WorkbenchError('conflict', message);

/** The wire form of an error (IPC, HTTP, child-process messages). */
export interface SerializedError {
  code: ErrorCode;
  message: string;
  where?: ErrorLocation;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof WorkbenchError) return { code: err.code, message: err.message, where: err.where };
  // Zod-free duck typing: ConfigError carries `issues` with a key.
  if (err instanceof Error && err.name === 'ConfigError') return { code: 'bad_input', message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
