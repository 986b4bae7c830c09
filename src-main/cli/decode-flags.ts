import { configIssueInWords } from '../common/config-issues.ts';
import {
  DECODE_SETTING_KEYS,
  DecodeSettingsSchema,
  type DecodeSettingKey,
  type DecodeSettings,
} from '../common/decode-settings.ts';
import { badInput } from '../common/errors.ts';
import type { TranslateSettings } from '../core/inference/translator.ts';

/**
 * The decoding flags of translate, evaluate and compare, derived from the one decoding schema
 * (common/decode-settings.ts): every setting there is a flag here, checked against the same bounds.
 */

/** `beam_size` → `beam-size`: every decoding setting of the schema is a flag of the decoding commands. */
const flagOf = (key: DecodeSettingKey) => key.replaceAll('_', '-');

/** A yes/no setting (sampling) is a flag without a value: `--sampling`. */
const isSwitch = (key: DecodeSettingKey) => DecodeSettingsSchema.shape[key].safeParse(true).success;

/** parseArgs options of every decoding setting, plus --prefix. */
export const DECODE_FLAGS = Object.fromEntries([
  ...DECODE_SETTING_KEYS.map((k) => [flagOf(k), { type: isSwitch(k) ? ('boolean' as const) : ('string' as const) }]),
  ['prefix', { type: 'string' as const }],
]) as Record<string, { type: 'string' | 'boolean' }>;

/** For a usage text: "[--beam-size V] [--n-best V] … [--sampling] …". */
export const DECODE_FLAGS_USAGE = DECODE_SETTING_KEYS.map((k) => `[--${flagOf(k)}${isSwitch(k) ? '' : ' V'}]`).join(
  ' ',
);

/**
 * The decoding flags given, validated against the schema's bounds (a run config's): errors name the flag.
 * n_best > beam_size is left to the core's normaliser, which sees the run's own settings.
 */
export function decodeSettings(o: Record<string, string | boolean | undefined>): TranslateSettings {
  const s: Partial<Record<DecodeSettingKey, unknown>> = {};
  for (const key of DECODE_SETTING_KEYS) {
    const flag = flagOf(key);
    const raw = o[flag];
    if (typeof raw === 'boolean' && isSwitch(key)) s[key] = raw;
    if (typeof raw !== 'string') continue;
    const field = DecodeSettingsSchema.shape[key];
    const asNumber = raw.trim() === '' ? Number.NaN : Number(raw);
    const parsed = field.safeParse(Number.isNaN(asNumber) ? raw : asNumber);
    if (!parsed.success) {
      const { message } = configIssueInWords(parsed.error.issues[0]);
      throw badInput(`--${flag} ${message}, got "${raw}"`, { field: flag });
    }
    s[key] = parsed.data;
  }
  const prefix = o.prefix;
  return { ...(s as Partial<DecodeSettings>), ...(typeof prefix === 'string' && prefix ? { prefix } : {}) };
}
