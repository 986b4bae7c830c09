import { z } from 'zod';

/**
 * Every decoding setting, declared once: its type, bounds, default and what it
 * does. The run config's decoding keys (config.ts), a decoding request's
 * settings (contract.ts: playground), the core's DecodeOptions
 * (core/decode/types.ts), the CLI's decoding flags (cli/commands/translate.ts)
 * and the playground's checks all derive from this schema; a new setting is one
 * line here (plus, if a request must be bounded tighter than a config, one entry
 * in REQUEST_MAX).
 *
 * This module is `common`: it runs in Node, in the renderer and in the browser.
 */

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max);
const num = (min: number, max = Number.POSITIVE_INFINITY) => z.number().min(min).max(max);

export const DecodeSettingsSchema = z.object({
  beam_size: int(1, 64).default(1).describe('Beam size (1: greedy).'),
  beam_alpha: num(0).default(0).describe('Length penalty exponent alpha.'),
  length_penalty: z
    .enum(['none', 'avg', 'gnmt'])
    .default('gnmt')
    .describe('Length penalty: none, avg (len^alpha) or gnmt (((5+len)/6)^alpha).'),
  n_best: int(1).default(1).describe('Hypotheses returned per sentence.'),
  max_output_length: num(0)
    .default(2)
    .describe('Longest output: an absolute token count if > 10, otherwise a ratio of the source length (+10).'),
  min_output_length: int(0).default(1).describe('Shortest output in tokens before <eos> is allowed.'),
  no_repeat_ngram_size: int(0).default(0).describe('Forbid repeating n-grams of this size (0: off).'),
  repetition_penalty: num(0).default(1).describe('Divide the scores of tokens already produced by this (1: off).'),
  // Sampling (core/decode/sampling.ts): drawn tokens instead of the search's best ones.
  sampling: z
    .boolean()
    .default(false)
    .describe('Draw each next token at random instead of searching (n_best samples a sentence; beam_size unused).'),
  temperature: num(0)
    .positive()
    .default(1)
    .describe('Sampling: divide the log-probs by this (below 1 sharper, above 1 flatter).'),
  top_k: int(0).default(0).describe('Sampling: draw only among the k most likely tokens (0: all).'),
  top_p: num(0, 1)
    .positive()
    .default(1)
    .describe('Sampling: draw among the most likely tokens until their probability reaches p (1: all).'),
  sampling_seed: int(0, 2 ** 32 - 1)
    .default(1)
    .describe('Sampling: the seed; the same seed draws the same samples of a sentence.'),
});

/** Complete decoding settings (a run config's, or a request's over them). */
export type DecodeSettings = z.infer<typeof DecodeSettingsSchema>;
export type DecodeSettingKey = keyof DecodeSettings;
export const DECODE_SETTING_KEYS = Object.keys(DecodeSettingsSchema.shape) as DecodeSettingKey[];
export const DECODE_SETTING_DEFAULTS: DecodeSettings = DecodeSettingsSchema.parse({});

/**
 * Bounds of one request (browser mode takes requests from anyone holding the page): a run config may
 * hold more (a 300-token max_output_length is a fine config, not a fine request from a web page).
 */
export const DECODE_REQUEST_LIMITS = {
  beam: 64,
  /** longest output in tokens (a setting <= 10 is a ratio of the source length) */
  maxOutputLength: 256,
  prefixChars: 1000,
  /** candidates recorded per step (return_topk) */
  topk: 20,
} as const;

const REQUEST_MAX: Partial<Record<DecodeSettingKey, number>> = {
  beam_size: DECODE_REQUEST_LIMITS.beam,
  n_best: DECODE_REQUEST_LIMITS.beam,
  beam_alpha: 10,
  max_output_length: DECODE_REQUEST_LIMITS.maxOutputLength,
  min_output_length: DECODE_REQUEST_LIMITS.maxOutputLength,
  no_repeat_ngram_size: 32,
  repetition_penalty: 100,
  temperature: 100,
};

type RequestShape = { [K in DecodeSettingKey]: z.ZodOptional<z.ZodType<DecodeSettings[K]>> };

/** Each setting of the schema, optional (a request overrides the run's config), within REQUEST_MAX. */
const requestShape = Object.fromEntries(
  DECODE_SETTING_KEYS.map((key) => {
    const field = DecodeSettingsSchema.shape[key];
    let inner: z.ZodType = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
    const max = REQUEST_MAX[key];
    if (max !== undefined && inner instanceof z.ZodNumber) inner = inner.max(max);
    return [key, inner.optional()];
  }),
) as RequestShape;

/**
 * What one decoding request may set: any setting (over the run's config), and what to return besides
 * the hypotheses: the search tree, the best candidates of every step, a forced target prefix (text).
 */
export const DecodeRequestSchema = z
  .object({
    ...requestShape,
    /** record the k best candidates (id, log-prob) at every step of each hypothesis */
    return_topk: int(1, DECODE_REQUEST_LIMITS.topk).optional(),
    /** record the search tree (every expanded candidate) of each sentence */
    return_tree: z.boolean().optional(),
    /** forced target prefix, as text: decoding continues after it */
    prefix: z.string().max(DECODE_REQUEST_LIMITS.prefixChars).optional(),
  })
  .strict();

export type DecodeRequest = z.output<typeof DecodeRequestSchema>;

/** The decoding keys of a run config (or anything holding them). */
export function pickDecodeSettings(from: DecodeSettings): DecodeSettings {
  return Object.fromEntries(DECODE_SETTING_KEYS.map((k) => [k, from[k]])) as DecodeSettings;
}

/**
 * The settings as the search needs them, whoever asked: n_best hypotheses come from a beam at least
 * n_best wide, so n_best > beam_size widens the beam (JoeyNMT refuses it; a user asking for 5
 * hypotheses of a greedy config means "beam search, 5 of them").
 */
export function normaliseDecodeSettings<T extends DecodeSettings>(s: T): T {
  return s.n_best > s.beam_size ? { ...s, beam_size: s.n_best } : s;
}

/** A run config's decoding settings under a request's overrides, normalised: what a decoding uses. */
export function effectiveDecodeSettings(base: DecodeSettings, request: Partial<DecodeSettings> = {}): DecodeSettings {
  const merged = { ...pickDecodeSettings(base) };
  for (const key of DECODE_SETTING_KEYS) {
    const v = request[key];
    if (v !== undefined) (merged as Record<DecodeSettingKey, unknown>)[key] = v;
  }
  return normaliseDecodeSettings(merged);
}
