import { sharedBuffer } from './shared-buffer.ts';

/** wasm's Cast to the dtype a tensor already has, sharing its buffer instead of copying it. */
export const sharedCastConfig = sharedBuffer('Cast');
