/**
 * The name and version a checkpoint's model.json carries (train/checkpoint.ts writes them), in a module of its
 * own so that an export's check of a checkpoint folder does not load tfjs.
 */
export const CHECKPOINT_FORMAT = 'seq2seq-workbench-checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 1;
