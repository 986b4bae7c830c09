import { readFileSync } from 'node:fs';
import { buildRunConfig, ConfigError, parseOverride, type RunConfig } from '../../common/config.ts';
import { badInput } from '../../common/errors.ts';
import { modelConfigIssues } from '../model/config-rules.ts';
import type { Db } from '../store/db.ts';
import { findDataset } from '../store/datasets.ts';
import { createRun, type RunRecord } from '../store/runs.ts';

/**
 * Turns what a user gave (preset, config file or object, key=value overrides)
 * into a validated config (resolveConfig: also the launch form's check). The
 * doors launch through lifecycle.ts, which checks backend and dataset too
 * before creating the run; createRunFromRequest is the bare step, for fixtures.
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
  const config = buildRunConfig({ preset: req.preset, base, overrides });
  // Options that are valid alone but cannot build a model together: refused here, before a run exists.
  const issues = modelConfigIssues(config);
  if (issues.length > 0)
    throw new ConfigError(`invalid run config: ${issues.map((i) => `${i.key}: ${i.message}`).join('; ')}`, issues);
  return config;
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
