import { sharedBuffer } from './shared-buffer.ts';

/** wasm's Identity sharing its input's buffer (the engine clones every tensor a gradient saves). */
export const sharedIdentityConfig = sharedBuffer('Identity');
