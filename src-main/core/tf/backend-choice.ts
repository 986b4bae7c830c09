import { BACKEND_PREFERENCES, isBackendPreference, type BackendPreference } from '../../common/backends.ts';
import { badInput, WorkbenchError } from '../../common/errors.ts';
import { loadBlas } from './native-blas.ts';

/**
 * Checks a backend a user named (--backend, the launch form) before anything
 * depends on it: an unknown name is bad_input; a backend that cannot load here
 * because its optional package or the native addon is absent is `unsupported`,
 * naming what to install. A run is never created for a backend that cannot
 * start, and translate/evaluate do not fail later with an unlabelled error.
 * `auto` is always available (it ends at the pure-JS cpu backend). Whether a
 * GPU is really usable is only known when the backend initialises (backend.ts).
 */

/** Backends that live in optionalDependencies: absent when their install failed or was skipped. */
const OPTIONAL_PACKAGES: Partial<Record<BackendPreference, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  webgpu: 'webgpu',
};

export function chooseBackend(name: string | undefined, field = 'backend'): BackendPreference {
  const choice = name ?? 'auto';
  if (!isBackendPreference(choice))
    throw badInput(`unknown backend "${choice}" (${BACKEND_PREFERENCES.join(', ')})`, { field });
  const why = unavailableReason(choice);
  if (why)
    throw new WorkbenchError(
      'unsupported',
      `backend "${choice}" is not available here: ${why}; --backend auto takes the fastest that loads`,
      { field },
    );
  return choice;
}

function unavailableReason(choice: BackendPreference): string | null {
  const pkg = OPTIONAL_PACKAGES[choice];
  if (pkg && !installed(pkg)) return `its package ${pkg} is not installed (npm install ${pkg})`;
  if (choice === 'wasm-blas') {
    const blas = loadBlas();
    if (!blas.addon) return `the native OpenBLAS addon did not load (${blas.reason})`;
  }
  return null;
}

function installed(pkg: string): boolean {
  try {
    import.meta.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
