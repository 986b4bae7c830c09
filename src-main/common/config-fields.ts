import { CONFIG_GROUPS, RunConfigSchema, type ConfigGroup, type ConfigKey, type RunConfig } from './config.ts';

/**
 * The run-config schema described as form fields (kind, choices, default,
 * documentation), so the launch form is generated from the one schema and
 * never drifts from what the trainer accepts.
 */
export interface ConfigField {
  key: ConfigKey;
  group: ConfigGroup;
  kind: 'enum' | 'boolean' | 'integer' | 'number' | 'string' | 'json';
  options: string[];
  nullable: boolean;
  default: unknown;
  description: string;
}

interface ZodLike {
  description?: string;
  _zod: { def: { type: string; innerType?: ZodLike; entries?: Record<string, string>; checks?: Array<{ _zod: { def: { check: string; format?: string } } }> } };
}

export const CONFIG_DEFAULTS: RunConfig = RunConfigSchema.parse({ dataset: 'builtin:tutorial' });

export function configFields(): ConfigField[] {
  return (Object.keys(RunConfigSchema.shape) as ConfigKey[]).map((key) => {
    let t = RunConfigSchema.shape[key] as unknown as ZodLike;
    const description = t.description ?? '';
    let nullable = false;
    for (;;) {
      const d = t._zod.def;
      if ((d.type === 'default' || d.type === 'nullable' || d.type === 'optional') && d.innerType) {
        if (d.type === 'nullable') nullable = true;
        t = d.innerType;
      } else break;
    }
    const def = t._zod.def;
    const isInt = (def.checks ?? []).some((c) => c._zod.def.format === 'safeint' || c._zod.def.check === 'number_format');
    const kind: ConfigField['kind'] =
      def.type === 'enum' ? 'enum' : def.type === 'boolean' ? 'boolean' : def.type === 'number' ? (isInt ? 'integer' : 'number') : def.type === 'string' ? 'string' : 'json';
    return { key, group: CONFIG_GROUPS[key], kind, options: def.entries ? Object.values(def.entries) : [], nullable, default: CONFIG_DEFAULTS[key], description };
  });
}
