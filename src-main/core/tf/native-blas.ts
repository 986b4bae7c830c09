import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BlasAddon } from './blas-addon.ts';

/**
 * The project's own fast fallback when libtensorflow is absent: the wasm
 * backend with its matrix products done by the system's OpenBLAS through
 * native/blas.c. The addon multiplies the operands where they already are, on
 * the wasm heap (no copies), with the transposes as BLAS flags, so every
 * matmul gradient stays on the fast path too. Everything else stays wasm.
 */
/**
 * The native/ interface these bindings are written against (native/addon.h ADDON_INTERFACE_VERSION;
 * every export's arguments are listed in native/README.md). An addon built from older sources (a
 * checkout updated without `npm ci` / `npm rebuild`) is refused with that reason instead of failing
 * later on a missing or changed export.
 */
export const ADDON_INTERFACE_VERSION = 2;

let addon: BlasAddon | null | undefined;
let why = '';

function addonPath(): string | null {
  const candidates = [
    process.env.WORKBENCH_NATIVE,
    fileURLToPath(new URL('../../../native/build/Release/blas.node', import.meta.url)),
    `${process.cwd()}/native/build/Release/blas.node`,
  ];
  return candidates.find((p): p is string => Boolean(p && existsSync(p))) ?? null;
}

/** Loads the addon once; null (with a reason) where it is not built or finds no BLAS. */
export function loadBlas(): { addon: BlasAddon | null; reason: string } {
  if (addon !== undefined) return { addon, reason: why };
  const path = addonPath();
  if (!path) {
    why = 'native/ addon not built (npm ci builds it when a C compiler is present)';
    return { addon: (addon = null), reason: why };
  }
  try {
    const a = createRequire(import.meta.url)(path) as BlasAddon;
    const version = a.interfaceVersion?.() ?? 1;
    if (version !== ADDON_INTERFACE_VERSION) {
      throw new Error(
        `native/ addon built for interface ${version}, this checkout needs ` +
          `${ADDON_INTERFACE_VERSION}: rebuild it (npm rebuild or npm ci)`,
      );
    }
    if (!a.available()) throw new Error(a.status());
    a.setThreads(Number(process.env.OPENBLAS_NUM_THREADS ?? 1));
    why = a.status();
    return { addon: (addon = a), reason: why };
  } catch (err) {
    why = (err as Error).message.split('\n')[0];
    return { addon: (addon = null), reason: why };
  }
}
