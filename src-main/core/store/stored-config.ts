import { ConfigError, parseRunConfig, type RunConfig } from '../../common/config.ts';
import { badInput } from '../../common/errors.ts';

/**
 * A run's config as the store holds it (runs.config, JSON), parsed against today's schema rather than
 * cast, so a schema change cannot silently break old runs. The rule, forward-compatible: an option
 * added since the run was stored takes its default (old runs list, resume and translate as before);
 * a value the schema no longer accepts, or an option it no longer knows, is an error that names the
 * run and the option.
 */
export function parseStoredRunConfig(runId: number, json: string): RunConfig {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw badInput(`run ${runId}: its stored config is not JSON`, { field: 'config' });
  }
  try {
    return parseRunConfig(value);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const what = err.issues.map((i) => `${i.key}: ${i.message}`).join('; ');
    throw badInput(`run ${runId}: its stored config is not valid here (${what}); was it stored by a newer workbench?`, {
      field: err.issues[0]?.key,
    });
  }
}
