import type { SerializedError } from './errors.ts';

/**
 * A request's outcome as it crosses a process boundary (Electron IPC, the browser's WebSocket, the
 * inference process): errors travel as data, never as thrown objects.
 */
export type Reply = { ok: true; result: unknown } | { ok: false; error: SerializedError };

/** A reply to the request numbered `id` (WebSocket, inference process). */
export type NumberedReply = { id: number } & Reply;
