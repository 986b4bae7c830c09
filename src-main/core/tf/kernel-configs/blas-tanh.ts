import { vectorisedUnary } from './blas-unary.ts';

/** wasm's Tanh by the addon's vectorised tanhf (wasm-blas): two per LSTM step and their gradients. */
export const blasTanhConfig = vectorisedUnary('Tanh', 'vtanh');
