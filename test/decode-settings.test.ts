import { describe, expect, it } from 'vitest';
import { RunConfigSchema } from '../src-main/common/config.ts';
import { schemas } from '../src-main/common/contract.ts';
import {
  DECODE_SETTING_DEFAULTS,
  DECODE_SETTING_KEYS,
  DecodeRequestSchema,
  effectiveDecodeSettings,
  normaliseDecodeSettings,
} from '../src-main/common/decode-settings.ts';

describe('decoding settings: one schema', () => {
  it('the run config holds every decoding setting with the same default', () => {
    const config = RunConfigSchema.parse({ dataset: 'x' });
    for (const key of DECODE_SETTING_KEYS) expect(config[key], key).toEqual(DECODE_SETTING_DEFAULTS[key]);
  });

  it('a playground request may set every decoding setting, and none is filled in by the request', () => {
    const settings = Object.fromEntries(DECODE_SETTING_KEYS.map((k) => [k, DECODE_SETTING_DEFAULTS[k]]));
    const parsed = schemas['playground.translate'].parse({ runId: 1, texts: ['a'], settings });
    expect(parsed.settings).toEqual(settings);
    // Absent keys stay absent: the run's own config decides them.
    expect(DecodeRequestSchema.parse({})).toEqual({});
  });

  it('a request is bounded tighter than a config, and an unknown setting is refused', () => {
    expect(RunConfigSchema.shape.max_output_length.safeParse(300).success).toBe(true);
    expect(DecodeRequestSchema.safeParse({ max_output_length: 300 }).success).toBe(false);
    expect(DecodeRequestSchema.safeParse({ beam_size: 65 }).success).toBe(false);
    expect(DecodeRequestSchema.safeParse({ n_best: 65 }).success).toBe(false);
    expect(DecodeRequestSchema.safeParse({ beam: 5 }).success).toBe(false);
  });

  it('n_best above beam_size widens the beam; request overrides the base', () => {
    expect(normaliseDecodeSettings({ ...DECODE_SETTING_DEFAULTS, n_best: 4 })).toMatchObject({
      beam_size: 4,
      n_best: 4,
    });
    const base = { ...DECODE_SETTING_DEFAULTS, beam_size: 5, beam_alpha: 1 };
    expect(effectiveDecodeSettings(base, { n_best: 2 })).toMatchObject({ beam_size: 5, n_best: 2, beam_alpha: 1 });
    expect(effectiveDecodeSettings(base, { beam_size: 1, n_best: undefined })).toMatchObject({
      beam_size: 1,
      n_best: 1,
    });
  });
});
