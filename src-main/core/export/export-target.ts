import type { Db } from '../store/db.ts';
import { refuseStorePath } from '../store/store-dir.ts';
import { resolveWriteTarget } from './atomic-file.ts';

/**
 * Where an export to `path` will write: resolved (symbolic links followed, the
 * folder must exist) and never the store itself or a run folder. Every exporter
 * (datasets, models, metrics; CLI and app alike) asks here first.
 */
export function exportTarget(db: Db, path: string, kind: 'file' | 'folder' = 'file'): string {
  const target = resolveWriteTarget(path, kind);
  refuseStorePath(db, target, path);
  return target;
}
