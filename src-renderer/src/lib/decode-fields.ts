import { DECODE_REQUEST_LIMITS } from '@common/decode-settings.ts';
import type { DecodeForm } from './decode-form.svelte.ts';

const { beam, maxOutputLength } = DECODE_REQUEST_LIMITS;

/** The search options that are a number, by the form's field that holds each. */
export type DecodeNumberKey = { [K in keyof DecodeForm]: DecodeForm[K] extends number ? K : never }[keyof DecodeForm];

/** One number input of the Playground's search options, as components/NumberField.svelte takes it. */
export interface DecodeField {
  key: DecodeNumberKey;
  /** beam and sample: shown in that mode only; shared: in every mode, after the mode's own */
  group: 'beam' | 'sample' | 'shared';
  /** a red border while the form's settings are refused (the fields a user most often sets out of range) */
  showsProblem?: boolean;
  field: { label: string; title?: string; min: number; max?: number; step?: number; width?: number; testid?: string };
}

/** Every number option, in the order shown: JoeyNMT's names, what each does on hover, the contract's bounds. */
export const DECODE_FIELDS: readonly DecodeField[] = [
  {
    key: 'beamSize',
    group: 'beam',
    showsProblem: true,
    field: { label: 'beam_size', min: 1, max: beam, width: 56, testid: 'pg-beam-size' },
  },
  { key: 'nBest', group: 'beam', field: { label: 'n_best', min: 1, max: beam, testid: 'pg-nbest' } },
  {
    key: 'alpha',
    group: 'beam',
    field: { label: 'beam_alpha', title: 'length penalty exponent', min: 0, step: 0.1, width: 56 },
  },
  {
    key: 'samples',
    group: 'sample',
    field: { label: 'samples', title: 'how many samples to draw', min: 1, max: beam, width: 48, testid: 'pg-samples' },
  },
  {
    key: 'temperature',
    group: 'sample',
    showsProblem: true,
    field: {
      label: 'temperature',
      title: 'below 1 sharper, above 1 flatter',
      min: 0.05,
      step: 0.1,
      width: 56,
      testid: 'pg-temperature',
    },
  },
  {
    key: 'topK',
    group: 'sample',
    field: {
      label: 'top_k',
      title: 'draw among the k most likely tokens (0: all)',
      min: 0,
      width: 48,
      testid: 'pg-topk',
    },
  },
  {
    key: 'topP',
    group: 'sample',
    field: {
      label: 'top_p',
      title: 'draw among the most likely tokens until their probability reaches p (1: all)',
      min: 0.01,
      max: 1,
      step: 0.05,
      width: 56,
      testid: 'pg-topp',
    },
  },
  {
    key: 'seed',
    group: 'sample',
    field: { label: 'seed', title: 'the same seed draws the same samples', min: 0, width: 56, testid: 'pg-seed' },
  },
  {
    key: 'noRepeat',
    group: 'shared',
    field: { label: 'no_repeat_ngram', title: 'forbid repeating n-grams of this size (0: off)', min: 0, width: 48 },
  },
  {
    key: 'minLength',
    group: 'shared',
    field: {
      label: 'min_length',
      title: 'shortest output before <eos> is allowed',
      min: 0,
      width: 48,
      testid: 'pg-min-length',
    },
  },
  {
    key: 'maxLength',
    group: 'shared',
    field: {
      label: 'max_length',
      title: "longest output in tokens (0: the run's setting; 10 or less: a ratio of the source length)",
      min: 0,
      max: maxOutputLength,
      testid: 'pg-max-length',
    },
  },
  {
    key: 'repetition',
    group: 'shared',
    field: {
      label: 'repetition_penalty',
      title: 'make tokens already produced less likely (1: off)',
      min: 0,
      step: 0.1,
      testid: 'pg-repetition',
    },
  },
];
