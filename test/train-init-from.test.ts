import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../src-main/common/config.ts';
import { resolveCheckpoint } from '../src-main/core/inference/resolve-checkpoint.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { getRun, listRuns } from '../src-main/core/store/runs.ts';
import { readModelWeights } from '../src-main/core/train/checkpoint.ts';
import { loadMatchingWeights } from '../src-main/core/train/init-from.ts';
import { checkInitSource, parentPipeline, resolveInitSource } from '../src-main/core/train/init-source.ts';
import { makeRun, TINY, tempDb } from './inference-fixtures.ts';

/** Fine-tuning (train --init-from RUN[:CKPT], config load_model): the parent's weights and vocabulary. */
const exec = promisify(execFile);
let db: Db;
let dbPath = '';
let parent = 0;

const flat = (w: Record<string, { dataSync(): ArrayLike<number> }>) =>
  Object.fromEntries(Object.entries(w).map(([k, t]) => [k, Array.from(t.dataSync())]));

beforeAll(async () => {
  ({ db, dbPath } = tempDb());
  ({ runId: parent } = await makeRun(db, {}, [
    { step: 10, bleu: 9, seed: 1 }, // best
    { step: 20, bleu: 3, seed: 2 },
  ]));
});

describe('the run a fine-tuning starts from', () => {
  it('RUN, RUN:CHECKPOINT or a folder; the best checkpoint unless named', () => {
    expect(resolveInitSource(db, String(parent))).toMatchObject({ runId: parent, step: 10 });
    expect(resolveInitSource(db, `${parent}:latest`)).toMatchObject({ runId: parent, step: 20 });
    const folder = resolveCheckpoint(db, parent, '20').path;
    expect(resolveInitSource(db, folder)).toMatchObject({ runId: null, path: folder });
    expect(() => resolveInitSource(db, '/nowhere')).toThrow(/neither RUN\[:CHECKPOINT\] nor a checkpoint/);
    expect(() => resolveInitSource(db, '999')).toThrow(/run 999/);
  });

  it("the vocabulary options must be the parent's: the error names each that differs", () => {
    const same = parseRunConfig({ ...TINY, load_model: String(parent) });
    expect(checkInitSource(db, same)).toMatchObject({ runId: parent });
    const other = parseRunConfig({ ...TINY, lowercase: false, trg_voc_limit: 50, load_model: String(parent) });
    const named = /lowercase false \(true there\), trg_voc_limit 50 \(10000 there\)/;
    expect(() => checkInitSource(db, other)).toThrow(named);
    expect(checkInitSource(db, parseRunConfig(TINY))).toBeNull();
  });

  it('loads every weight that fits, reports the others, refuses a model nothing fits', () => {
    const source = resolveInitSource(db, String(parent));
    const pipeline = parentPipeline(source);
    const config = parseRunConfig(TINY);
    const model = buildModel(config, pipeline.srcVocab.size, pipeline.trgVocab.size, 99);
    const report = loadMatchingWeights(model, source);
    expect(report).toMatchObject({ loaded: model.variables.size, skipped: [] });
    const want = flat(readModelWeights(source.path));
    expect(flat(Object.fromEntries(model.variables))).toEqual(want);

    // A wider decoder output layer: the rest still loads, the misfits are named with both shapes.
    const { size: srcV } = pipeline.srcVocab;
    const wider = buildModel(parseRunConfig({ ...TINY, hidden_size: 16 }), srcV, pipeline.trgVocab.size, 1);
    const partial = loadMatchingWeights(wider, source);
    expect(partial.loaded).toBeGreaterThan(0); // the embeddings (embedding_dim unchanged)
    expect(partial.skipped.join('\n')).toMatch(/\[\d+(,\d+)*\] there, \[\d+(,\d+)*\] here/);
    const tall = buildModel(parseRunConfig({ ...TINY, embedding_dim: 4, hidden_size: 4 }), 5, 7, 1);
    expect(() => loadMatchingWeights(tall, source)).toThrow(/no weight of run \d+ \(step 10\) fits this model/);
    tall.dispose();
    model.dispose();
    wider.dispose();
  });
});

describe('train --init-from through the CLI', () => {
  const cli = (args: string[]) =>
    exec(process.execPath, ['bin/workbench.js', '--db', dbPath, ...args], { maxBuffer: 1 << 24 });
  const last = (out: string) =>
    JSON.parse(out.trim().split('\n').at(-1) as string) as { runId: number; status: string };
  const small = ['--preset', 'tutorial', '--set', 'max_epochs=1', '--set', 'hidden_size=16'];

  it("starts from the parent's weights and vocabulary, and records where from", async () => {
    const { stdout } = await cli(['train', ...small, '--json']);
    const base = last(stdout);
    expect(base.status).toBe('completed');
    // A learning rate too small to move the weights: the child's checkpoint is the parent's model.
    const from = `${base.runId}:latest`;
    const args = ['train', ...small, '--init-from', from, '--set', 'learning_rate=1e-12', '--json'];
    const child = last((await cli(args)).stdout);
    expect(child.status).toBe('completed');
    const run = getRun(db, child.runId);
    expect(run.config.load_model).toBe(`${base.runId}:latest`);
    expect(run.environment?.init_from).toMatchObject({ source: { runId: base.runId }, skipped: [] });
    const a = flat(readModelWeights(resolveCheckpoint(db, base.runId, 'latest').path));
    const b = flat(readModelWeights(resolveCheckpoint(db, child.runId, 'latest').path));
    for (const name of Object.keys(a)) b[name].forEach((v, j) => expect(v, name).toBeCloseTo(a[name][j], 5));
  }, 180_000);

  it('a vocabulary mismatch is refused before the run exists', async () => {
    const before = listRuns(db).length;
    const args = ['train', '--preset', 'tutorial', '--init-from', String(parent), '--set', 'lowercase=false', '--json'];
    const err = (await cli(args).catch((e: { stderr: string }) => e)) as { stderr: string };
    expect(err.stderr).toMatch(/load_model: the vocabulary must be that of run \d+ \(step 10\).*lowercase false/);
    expect(listRuns(db)).toHaveLength(before);
  }, 60_000);
});
