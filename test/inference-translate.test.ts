import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSettings } from '../src-main/cli/decode-flags.ts';
import { resolveCheckpoint } from '../src-main/core/inference/resolve-checkpoint.ts';
import { loadTranslator, Translator } from '../src-main/core/inference/translator.ts';
import { createRun } from '../src-main/core/store/runs.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { parseRunConfig } from '../src-main/common/config.ts';
import { makeRun, TINY, tempDb } from './inference-fixtures.ts';

const exec = promisify(execFile);
let db: Db;
let dbPath = '';
let runId = 0;

beforeAll(async () => {
  ({ db, dbPath } = tempDb());
  ({ runId } = await makeRun(db, {}, [
    { step: 10, bleu: 3, seed: 1 },
    { step: 20, bleu: 9, seed: 2 }, // best
    { step: 30, bleu: 4, seed: 3 }, // latest
  ]));
});

describe('checkpoint selection', () => {
  it('best, latest and a step pick different checkpoints', () => {
    expect(resolveCheckpoint(db, runId, 'best').step).toBe(20);
    expect(resolveCheckpoint(db, runId, 'latest').step).toBe(30);
    expect(resolveCheckpoint(db, runId, '10').step).toBe(10);
  });

  it('errors name the run, the checkpoint and the steps that exist', () => {
    expect(() => resolveCheckpoint(db, runId, '15')).toThrow(/no checkpoint "15".*10, 20, 30/);
    expect(() => resolveCheckpoint(db, 999, 'best')).toThrow(/run 999/);
    const empty = createRun(db, { config: parseRunConfig(TINY) });
    expect(() => resolveCheckpoint(db, empty.id, 'best')).toThrow(
      expect.objectContaining({ code: 'not_found', message: expect.stringContaining(`run ${empty.id}`) }),
    );
  });

  it('the translator of a checkpoint is loaded once and reused', async () => {
    const a = await loadTranslator(db, runId, 'best');
    expect(await loadTranslator(db, runId, '20')).toBe(a);
    const latest = await loadTranslator(db, runId, 'latest');
    expect(latest).not.toBe(a);
    expect(latest.checkpoint.step).toBe(30);
  });
});

describe('translate', () => {
  it('returns text, tokens, per-token log-probs, score and [tgtLen][srcLen] attention', async () => {
    const t = await loadTranslator(db, runId);
    const [out] = await t.translate(['What is your name?'], { beam_size: 1 });
    const h = out.hypotheses[0];
    expect(out.source).toBe('What is your name?');
    expect(h.tokens.length).toBeGreaterThan(0);
    expect(h.tokenLogProbs).toHaveLength(h.tokens.length);
    expect(h.text.replace(/\s+/g, '')).toBe(h.tokens.join('').replace(/\s+/g, ''));
    // greedy with no length penalty: score = total log-prob = sum of token log-probs (+ <eos>)
    expect(h.logProb).toBeLessThanOrEqual(h.tokenLogProbs.reduce((s, x) => s + x, 0) + 1e-5);
    const srcLen = t.pipeline.encodeSource('What is your name?').length;
    expect(h.attention?.length).toBeGreaterThanOrEqual(h.tokens.length);
    for (const row of h.attention ?? []) {
      expect(row).toHaveLength(srcLen);
      expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 4);
    }
  });

  it('beam search returns n-best hypotheses sorted by score, and batching does not change results', async () => {
    const t = await loadTranslator(db, runId);
    const sources = ['Hello.', 'How are you?', 'The water is cold.', 'Thank you.'];
    const batched = await t.translate(sources, { beam_size: 4, n_best: 3 });
    for (const tr of batched) {
      expect(tr.hypotheses).toHaveLength(3);
      const scores = tr.hypotheses.map((h) => h.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
    const alone = [];
    for (const s of sources) alone.push((await t.translate([s], { beam_size: 4, n_best: 3 }))[0]);
    expect(alone.map((x) => x.hypotheses.map((h) => h.text))).toEqual(
      batched.map((x) => x.hypotheses.map((h) => h.text)),
    );
    expect(await t.translate(sources, { beam_size: 4, n_best: 3 }, 2)).toEqual(batched); // chunked batches
  });

  it('a blank line translates (to something) instead of failing the whole file', async () => {
    const t = await loadTranslator(db, runId);
    const out = await t.translate(['', 'Hello.']);
    expect(out).toHaveLength(2);
    expect(out[1].hypotheses[0].text).toBe((await t.translate(['Hello.']))[0].hypotheses[0].text);
  });
});

describe('workbench translate (CLI)', () => {
  const cli = (args: string[], input?: string) => {
    const p = exec(process.execPath, ['bin/workbench.js', '--db', dbPath, ...args], { maxBuffer: 1 << 24 });
    if (input !== undefined) {
      p.child.stdin?.end(input);
    }
    return p;
  };

  it('reads stdin lines and prints the documented JSON', async () => {
    const { stdout } = await cli(
      ['translate', '--run', String(runId), '--checkpoint', 'latest', '--beam-size', '3', '--n-best', '2', '--json'],
      'Hello.\nThank you.\n',
    );
    const j = JSON.parse(stdout) as {
      translations: Array<{
        source: string;
        hypotheses: Array<{ text: string; score: number; tokens: string[]; attention?: number[][] }>;
      }>;
    };
    expect(j.translations.map((t) => t.source)).toEqual(['Hello.', 'Thank you.']);
    const expected = await (
      await loadTranslator(db, runId, 'latest')
    ).translate(['Hello.', 'Thank you.'], { beam_size: 3, n_best: 2 });
    expect(j.translations.map((t) => t.hypotheses.map((h) => h.text))).toEqual(
      expected.map((t) => t.hypotheses.map((h) => h.text)),
    );
    const h = j.translations[0].hypotheses[0];
    expect(typeof h.score).toBe('number');
    expect(Array.isArray(h.tokens)).toBe(true);
    expect(Array.isArray(h.attention?.[0])).toBe(true);
  }, 30_000);

  it('decoding flags: every setting of the schema, nonsense values name the flag', () => {
    expect(decodeSettings({ 'beam-size': '2', 'n-best': '4', 'beam-alpha': '0.6', 'length-penalty': 'avg' })).toEqual({
      beam_size: 2,
      n_best: 4,
      beam_alpha: 0.6,
      length_penalty: 'avg',
    });
    expect(() => decodeSettings({ 'beam-size': '0' })).toThrow(
      expect.objectContaining({ where: { field: 'beam-size' } }),
    );
    expect(() => decodeSettings({ 'n-best': '1.5' })).toThrow(/--n-best must be a whole number/);
    expect(() => decodeSettings({ 'beam-alpha': 'x' })).toThrow(/--beam-alpha must be a number/);
    expect(() => decodeSettings({ 'length-penalty': 'long' })).toThrow(
      /--length-penalty must be one of: none, avg, gnmt/,
    );
  });

  it("--n-best wider than the beam widens the beam, not below the run config's own beam", async () => {
    // The CLI used to widen the beam to n_best before it knew the run's settings: --n-best 3 on a run
    // decoding at beam 5 searched with beam 3.
    const t = await loadTranslator(db, runId, 'latest');
    const beam5 = new Translator(t.runId, t.checkpoint, t.model, t.pipeline, { ...t.config, beam_size: 5 });
    expect(beam5.decodeOptions(decodeSettings({ 'n-best': '3' }))).toMatchObject({ beam_size: 5, n_best: 3 });
    expect(beam5.decodeOptions(decodeSettings({ 'n-best': '7' }))).toMatchObject({ beam_size: 7, n_best: 7 });
    expect(t.decodeOptions(decodeSettings({ 'beam-size': '2', 'n-best': '4' }))).toMatchObject({
      beam_size: 4,
      n_best: 4,
    });
  });

  it('an unknown run is an error on stderr that names it, exit code non-zero', async () => {
    await expect(cli(['translate', '--run', '4242', 'hello'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('run 4242'),
    });
  }, 30_000);
});
