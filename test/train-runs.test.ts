import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_ORDER } from '../src-main/common/backends.ts';
import { exportModel, importModel } from '../src-main/core/export/model-export.ts';
import { evaluateRun } from '../src-main/core/inference/evaluate.ts';
import { loadTranslator } from '../src-main/core/inference/translator.ts';
import type { LaunchRequest } from '../src-main/core/runs/launch.ts';
import { launchRun } from '../src-main/core/runs/lifecycle.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { getMetricSeries } from '../src-main/core/store/run-metrics.ts';
import { isProcessAlive } from '../src-main/core/process-alive.ts';
import { getRun, recoverInterruptedRuns } from '../src-main/core/store/runs.ts';
import { trainResult as lastJson, tutorialTrainArgs, WORKBENCH as workbench } from './support/tutorial-train.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'wb-train-'));
const dbPath = join(dir, 'experiments.db');
// The CLI runs from a directory outside the checkout, as a user's does (the trainer must still start).
const cli = (...args: string[]) =>
  run(process.execPath, [workbench, '--db', dbPath, ...args], { maxBuffer: 1 << 26, cwd: dir });

let tutorialRun = 0;

/** launchRun in-process, for requests it must refuse (one it accepted would start a trainer). */
const launchTutorial = (db: Db, req: Partial<LaunchRequest>) =>
  launchRun(db, dbPath, { dataset: 'builtin:tutorial', preset: 'tutorial', ...req });

beforeAll(async () => {
  const { stdout } = await cli(...tutorialTrainArgs());
  const r = lastJson(stdout);
  expect(r.status).toBe('completed');
  tutorialRun = r.runId;
}, 120_000);

describe('the tutorial, end to end through the CLI', () => {
  it('reproduces the tutorial translations with greedy decoding', async () => {
    const db = openDb(dbPath);
    const t = await loadTranslator(db, tutorialRun);
    const out = (await t.translate(['hello', 'what is your name'])).map((x) => x.hypotheses[0].text);
    expect(out).toEqual(['नमस्ते', 'आपका नाम क्या है']);
    const run1 = getRun(db, tutorialRun);
    // auto picked a backend the registry lists, and said why it skipped each faster one (which, depends on the machine)
    expect(BACKEND_ORDER).toContain(run1.backend);
    const attempts = run1.environment?.backend_attempts as Array<{ name: string; ok: boolean; reason?: string }>;
    expect(attempts.at(-1)).toMatchObject({ name: run1.backend, ok: true });
    for (const skipped of attempts.slice(0, -1)) expect(skipped.reason, skipped.name).toMatch(/\S/);
    expect(getMetricSeries(db, tutorialRun)['train/loss'].length).toBeGreaterThan(10);
  });

  it('a finished run stores the epochs it trained (runs.epoch and the last progress), not 0', () => {
    const r = getRun(openDb(dbPath), tutorialRun);
    expect(r.epoch).toBe(r.config.max_epochs);
    expect(r.progress).toMatchObject({ phase: 'done', epoch: r.config.max_epochs });
  });

  it('an exported model (zip and folder) imports and translates identically, greedy and beam', async () => {
    const db = openDb(dbPath);
    const original = await loadTranslator(db, tutorialRun);
    const sources = ['hello', 'how are you', 'my name is john', 'thank you you'];
    for (const out of [join(dir, 'model.zip'), join(dir, 'model-folder')]) {
      exportModel(db, tutorialRun, out);
      const { runId } = importModel(db, out);
      const imported = await loadTranslator(db, runId);
      for (const settings of [{}, { beam_size: 4, n_best: 2 }]) {
        expect(await imported.translate(sources, settings)).toEqual(await original.translate(sources, settings));
      }
    }
    const readme = readFileSync(join(dir, 'model-folder', 'README.md'), 'utf8');
    expect(readme).toContain('valid BLEU');
  });

  it('evaluate stores test metrics with the signature', async () => {
    const db = openDb(dbPath);
    writeFileSync(join(dir, 'src.txt'), 'how are you\nwhat is your name\nmy name is john\n');
    writeFileSync(join(dir, 'ref.txt'), 'आप कैसे हैं\nआपका नाम क्या है\nमेरा नाम जॉन है\n');
    const r = await evaluateRun(db, await loadTranslator(db, tutorialRun), {
      src: join(dir, 'src.txt'),
      ref: join(dir, 'ref.txt'),
    });
    expect(r.bleu).toBeCloseTo(100, 4);
    expect(r.signature).toContain('tok:intl');
    expect(getMetricSeries(db, tutorialRun)['test/bleu'].map((p) => p.value)).toContain(r.bleu);
  });

  it('translate on the cpu backend prints no tfjs banner on stderr', async () => {
    // One CLI smoke test of translate's plain output; its --json shape is inference-translate's (stdin, n-best).
    const { stdout, stderr } = await cli('translate', '--run', String(tutorialRun), '--backend', 'cpu', 'hello');
    expect(stdout.trim()).toBe('नमस्ते');
    expect(stderr).not.toContain('Hi, looks like');
  });
});

describe('run lifecycle', () => {
  it('the same seed, data and backend give the same losses', async () => {
    // A shorter run of the tutorial's config against the first losses of the tutorial run (beforeAll): the
    // schedule is constant, so epochs 1-15 are the same updates in both; one training instead of two.
    const a = lastJson((await cli(...tutorialTrainArgs({ set: { max_epochs: 15 } }))).stdout);
    const db = openDb(dbPath);
    const losses = (id: number) => getMetricSeries(db, id)['train/loss'].map((p) => p.value);
    expect(losses(a.runId).length).toBe(3);
    expect(losses(a.runId)).toEqual(losses(tutorialRun).slice(0, 3));
  }, 60_000);

  it('a model that cannot be built is refused with the reason before any run exists', async () => {
    // The rule is the core's (launchRun, under every door): checked in-process; the CLI door's smoke test of a
    // refusal on stderr is the config error below.
    const db = openDb(dbPath);
    const before = (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
    await expect(launchTutorial(db, { set: ['bidirectional=true'] })).rejects.toThrow(
      'init_hidden=last needs a unidirectional encoder',
    );
    expect((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(before);
  });

  it('a trainer that dies mid-run (crash, OOM) leaves the run failed with what it printed', async () => {
    const failed = run(
      process.execPath,
      ['bin/workbench.js', '--db', dbPath, ...tutorialTrainArgs({ set: { max_epochs: 40 } })],
      {
        env: { ...process.env, WORKBENCH_TRAIN_FAULT: 'exit-at-step:5' },
      },
    );
    const err = (await failed.then(
      () => null,
      (e: { stdout: string }) => e,
    )) as { stdout: string } | null;
    expect(err).not.toBeNull(); // non-zero exit
    const r = lastJson(err?.stdout ?? '');
    expect(r.status).toBe('failed');
    expect(r.error).toContain('injected fault at step');
    const db = openDb(dbPath);
    expect(getRun(db, r.runId)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('WORKBENCH_TRAIN_FAULT'),
    });
  }, 30_000);

  it('config errors name the key and start no run', async () => {
    const db = openDb(dbPath);
    const before = (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
    // Through the CLI once: the refusal on stderr, a non-zero exit.
    await expect(cli(...tutorialTrainArgs({ set: { hidden_size: 'abc' }, json: false }))).rejects.toMatchObject({
      stderr: expect.stringContaining('hidden_size'),
    });
    // The other sources of a config, in the core every door launches through.
    await expect(launchTutorial(db, { preset: undefined, set: ['no_such_key=1'] })).rejects.toThrow('no_such_key');
    writeFileSync(join(dir, 'bad.json'), '{"learning_rate": -1}');
    await expect(launchTutorial(db, { preset: undefined, configFile: join(dir, 'bad.json') })).rejects.toThrow(
      'learning_rate',
    );
    expect((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(before);
  }, 30_000);

  it('kill -9 mid-training: interrupted at next start, resumes to completion, store intact', async () => {
    const lastBefore = (openDb(dbPath).prepare('SELECT coalesce(max(id), 0) AS n FROM runs').get() as { n: number }).n;
    const child = spawn(
      process.execPath,
      [workbench, '--db', dbPath, ...tutorialTrainArgs({ set: { max_epochs: 60, batch_size: 2, keep_best_ckpts: 1 } })],
      { stdio: 'ignore', cwd: dir },
    );
    const db = openDb(dbPath);
    let runId = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 25));
      const row = db
        .prepare("SELECT id, pid, step FROM runs WHERE status = 'running' AND id > ? ORDER BY id DESC LIMIT 1")
        .get(lastBefore) as { id: number; pid: number; step: number } | undefined;
      const done = db.prepare('SELECT status FROM runs WHERE id > ? ORDER BY id DESC LIMIT 1').get(lastBefore) as
        { status: string } | undefined;
      if (done && ['completed', 'failed'].includes(done.status))
        throw new Error(`the run ended (${done.status}) before it could be killed`);
      // 3 batches per epoch: a step that is not a multiple of 3 is mid-epoch (checkpoints are per epoch).
      // Progress lands every 250 ms: 60 epochs (180 updates) leave many chances to catch one (~40 steps/s here).
      if (row && row.step >= 6 && row.step % 3 !== 0) {
        runId = row.id;
        // The whole session dies at once (CLI and trainer), mid-epoch: nobody records an end.
        child.kill('SIGKILL');
        process.kill(row.pid, 'SIGKILL');
        break;
      }
    }
    await new Promise((r) => child.on('exit', r));
    // SIGKILL is delivered asynchronously: the "next start" comes once the trainer is really gone.
    const pid = getRun(db, runId).pid as number;
    while (isProcessAlive(pid)) await new Promise((r) => setTimeout(r, 50));
    expect(recoverInterruptedRuns(db)).toContain(runId);
    expect(getRun(db, runId).status).toBe('interrupted');
    const resumed = lastJson((await cli('runs', 'resume', String(runId), '--json')).stdout);
    expect(resumed.status).toBe('completed');
    expect(getRun(db, runId).step).toBe(180);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const steps = getMetricSeries(db, runId)['train/loss'].map((p) => p.step);
    expect(new Set(steps).size).toBe(steps.length); // no duplicated points after resume
  }, 180_000);
});
