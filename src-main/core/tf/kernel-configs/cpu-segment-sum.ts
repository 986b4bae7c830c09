import { segmentSum } from './segment-sum.ts';

/** UnsortedSegmentSum on cpu as one scatter-add pass (tfjs's loops over the whole vocabulary per row). */
export const cpuSegmentSumConfig = segmentSum('cpu');
