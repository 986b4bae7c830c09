import { BACKEND_PREFERENCES } from '../common/backends.ts';

/**
 * The flags that say what a run trains, shared by `workbench train` and `workbench sweep` (each run of a
 * sweep is a train request with its grid values set): the dataset, a preset, a config file, --set
 * overrides, the run's name, the backend, and --json for the result.
 */
export const RUN_FLAGS = {
  dataset: { type: 'string' },
  preset: { type: 'string' },
  config: { type: 'string' },
  set: { type: 'string', multiple: true },
  name: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** For a usage text's first line: what every run needs and may be given. */
export const RUN_FLAGS_USAGE = '--dataset NAME [--preset P] [--config FILE] [--set key=value …]';

/** For a usage text: the backends --backend takes. */
export const BACKEND_FLAG_USAGE = `[--backend ${BACKEND_PREFERENCES.join('|')}]`;
