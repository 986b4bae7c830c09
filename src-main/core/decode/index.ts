export { translateBatch } from './search.ts';
export type { BeamNode, Candidate, DecodeOptions, DecodeResult, Hypothesis } from './types.ts';
export { lengthPenalty, maxOutputLength } from './types.ts';
