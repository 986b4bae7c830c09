import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { badInput, WorkbenchError } from '../../common/errors.ts';
import type { Db } from '../store/db.ts';
import { findDataset, type DatasetRecord } from '../store/datasets.ts';
import { waitWhileStaged } from '../store/staged-datasets.ts';
import { importDataset } from './import.ts';

/**
 * Datasets that ship with the app: `builtin:tutorial` (the tutorial's six
 * pairs) and `builtin:sample` (everyday pairs written for this project).
 * They are imported into the store the first time a name is used.
 */
export const BUILTIN_DATASETS = {
  'builtin:tutorial': { file: 'tutorial.tsv', description: "The English→Hindi tutorial's six pairs." },
  'builtin:sample': {
    file: 'sample.tsv',
    description: 'Everyday English–Hindi pairs written for Seq2Seq Workbench (CC0).',
  },
} as const;

export function resourcesDir(): string {
  const candidates = [
    process.env.WORKBENCH_RESOURCES,
    fileURLToPath(new URL('../../../resources', import.meta.url)),
    `${process.cwd()}/resources`,
  ];
  for (const c of candidates) if (c && existsSync(`${c}/datasets`)) return c;
  throw badInput('the resources/ folder (built-in datasets) was not found; set WORKBENCH_RESOURCES');
}

/** A dataset by name; built-in names are imported on first use. */
export async function getDatasetByName(db: Db, name: string): Promise<DatasetRecord> {
  const found = findDataset(db, name);
  if (found) return found;
  const builtin = BUILTIN_DATASETS[name as keyof typeof BUILTIN_DATASETS];
  if (!builtin)
    throw badInput(`no dataset "${name}" (import one with: workbench dataset import FILE --name ${name})`, {
      field: 'dataset',
    });
  try {
    await importDataset(db, {
      name,
      files: [`${resourcesDir()}/datasets/${builtin.file}`],
      format: 'tsv',
      description: builtin.description,
    });
  } catch (err) {
    // Another process is importing it right now (two trainers starting at once): use theirs.
    if (!(err instanceof WorkbenchError && err.code === 'conflict')) throw err;
    await waitWhileStaged(db, name);
    return findDataset(db, name) ?? getDatasetByName(db, name);
  }
  return findDataset(db, name) as DatasetRecord;
}
