import { segmentSum } from './segment-sum.ts';

/** UnsortedSegmentSum on wasm, where tfjs has none: the gradient of every embedding lookup. */
export const wasmSegmentSumConfig = segmentSum('wasm');
