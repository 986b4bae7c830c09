import { createRequire } from 'node:module';
import { cpus, platform, release, totalmem } from 'node:os';

/** What a run records about the machine and library versions it trained with. */
export function machineEnvironment(): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const version = (pkg: string) => {
    try {
      return (require(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return null;
    }
  };
  return {
    node: process.versions.node,
    platform: `${platform()} ${release()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpu_count: cpus().length,
    total_memory_mb: Math.round(totalmem() / 2 ** 20),
    tfjs: version('@tensorflow/tfjs-core'),
    tfjs_backend_wasm: version('@tensorflow/tfjs-backend-wasm'),
    better_sqlite3: version('better-sqlite3'),
  };
}
