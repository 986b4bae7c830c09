import { vectorisedUnary } from './blas-unary.ts';

/** wasm's Exp by the addon's vectorised expf (wasm-blas): the log-softmax's two exps per train step. */
export const blasExpConfig = vectorisedUnary('Exp', 'vexp');
