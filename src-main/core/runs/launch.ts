import { readFileSync } from 'node:fs';
import { buildRunConfig, parseOverride, type RunConfig } from '../../common/config.ts';
import { badInput } from '../../common/errors.ts';
import type { Db } from '../store/db.ts';
import { findDataset } from '../store/datasets.ts';
import { createRun, type RunRecord } from '../store/runs.ts';

/**
 * Turns what a user gave (preset, config file or object, key=value overrides)
 * into a validated config and a queued run. Shared by the CLI, the Electron
 * app and the browser mode.
 */
export interface LaunchRequest {
  dataset?: string;
  preset?: string;
  configFile?: string;
  config?: Record<string, unknown>;
  set?: string[];
  name?: string;
  parentRunId?: number | null;
}

export function resolveConfig(req: LaunchRequest): RunConfig {
  let base: Record<string, unknown> = { ...(req.config ?? {}) };
  if (req.configFile) {
    let text: string;
    try {
      text = readFileSync(req.configFile, 'utf8');
    } catch {
      throw badInput(`${req.configFile}: cannot read the config file`, { file: req.configFile });
    }
    try {
      base = { ...(JSON.parse(text) as Record<string, unknown>), ...base };
    } catch (err) {
      throw badInput(`${req.configFile}: invalid JSON: ${(err as Error).message}`, { file: req.configFile });
    }
  }
  const overrides: Record<string, unknown> = Object.fromEntries((req.set ?? []).map(parseOverride));
  if (req.dataset) overrides.dataset = req.dataset;
  return buildRunConfig({ preset: req.preset, base, overrides });
}

export function createRunFromRequest(db: Db, req: LaunchRequest): RunRecord {
  const config = resolveConfig(req);
  return createRun(db, {
    name: req.name,
    config,
    preset: req.preset ?? null,
    datasetId: findDataset(db, config.dataset)?.id ?? null,
    parentRunId: req.parentRunId ?? null,
  });
}
