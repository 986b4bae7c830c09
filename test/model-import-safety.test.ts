import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfigInput } from '../src-main/common/config.ts';
import { exportMetrics } from '../src-main/core/export/metrics-export.ts';
import { exportModel, importModel } from '../src-main/core/export/model-export.ts';
import { modelLayout } from '../src-main/core/export/model-layout.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { listRuns } from '../src-main/core/store/runs.ts';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { makeRun, TINY, tempDb } from './inference-fixtures.ts';

/**
 * Imported models used to be trusted: weightsManifest paths were joined unchecked
 * (another run's weights, /dev/zero, /etc/passwd), shapes and byte lengths were
 * not compared with anything, a huge config was built before anything was
 * checked, zip entry names were flattened and a failed import left its temporary
 * folder. Each malicious artefact below is made from a real export and must be
 * refused, naming what is wrong, with nothing registered and nothing left behind.
 */
let db: Db;
let dir = '';
let dbPath = '';
let base = ''; // a good exported folder
let privateTmp = '';

beforeAll(async () => {
  // Import stages zips in the OS temporary folder: a private one shows what is left there.
  privateTmp = mkdtempSync(join(tmpdir(), 'wb-import-tmp-'));
  process.env.TMPDIR = privateTmp;
  ({ db, dir, dbPath } = tempDb());
  const { runId } = await makeRun(db, {}, [{ step: 10, bleu: 5, seed: 3 }]);
  base = join(dir, 'base');
  exportModel(db, runId, base);
  importModel(db, base); // the good artefact imports (runs/2/imported exists for the traversal case)
});

let n = 0;
/** A copy of the good export, changed by `mutate`. */
function variant(mutate: (d: string) => void): string {
  const d = join(dir, `variant-${n++}`);
  cpSync(base, d, { recursive: true });
  mutate(d);
  return d;
}
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
const editJson = (f: string, edit: (j: Record<string, unknown>) => void) => {
  const j = readJson(f);
  edit(j);
  writeFileSync(f, JSON.stringify(j));
};
type Manifest = Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string }> }>;
const editManifest = (d: string, edit: (m: Manifest) => void) =>
  editJson(join(d, 'model.json'), (j) => edit(j.weightsManifest as Manifest));

/** Refused as bad_input whose message holds every one of `parts`; no run, no run folder, no temporary left. */
function expectRefused(path: string, ...parts: string[]): void {
  const runs = listRuns(db).length;
  const folders = readdirSync(join(dir, 'runs')).length;
  let error: unknown;
  try {
    importModel(db, path);
  } catch (err) {
    error = err;
  }
  expect(error, path).toMatchObject({ code: 'bad_input' });
  for (const p of parts) expect((error as Error).message).toContain(p);
  expect(listRuns(db).length).toBe(runs);
  expect(readdirSync(join(dir, 'runs')).length).toBe(folders);
  expect(readdirSync(privateTmp).filter((f) => f.startsWith('wb-import-'))).toEqual([]);
}

describe('weightsManifest paths stay inside the artefact', () => {
  it('refuses traversal, absolute and nested paths, naming model.json and the path', () => {
    for (const bad of [
      '../../2/imported/weights.bin',
      '/dev/zero',
      '../../../../etc/passwd',
      'sub/weights.bin',
      '..',
      '',
    ]) {
      const d = variant((v) => editManifest(v, (m) => (m[0].paths = [bad])));
      expectRefused(d, `${d}: model.json: weightsManifest[0].paths[0] "${bad}" must be a file name inside the model`);
    }
  });

  it('refuses a weights file that is a link to outside the folder', () => {
    const outside = join(dir, 'outside.bin');
    cpSync(join(base, 'weights.bin'), outside);
    const d = variant((v) => {
      symlinkSync(outside, join(v, 'linked.bin'));
      editManifest(v, (m) => (m[0].paths = ['linked.bin']));
    });
    expectRefused(d, `${d}: linked.bin is a link to outside the model folder`);
  });

  it('accepts a link that stays inside the folder (copied as a file)', () => {
    const d = variant((v) => {
      symlinkSync(join(v, 'weights.bin'), join(v, 'alias.bin'));
      editManifest(v, (m) => (m[0].paths = ['alias.bin']));
    });
    const { runId } = importModel(db, d);
    expect(existsSync(join(dir, 'runs', String(runId), 'imported', 'alias.bin'))).toBe(true);
  });
});

describe('shapes, dtypes and byte lengths are checked against the config before the weights are read', () => {
  it('refuses shapes that are not lists of non-negative integers', () => {
    for (const shape of [[-5, 3], [1.5], [2 ** 60], ['8'], 'x']) {
      const d = variant((v) => editManifest(v, (m) => (m[0].weights[0].shape = shape as number[])));
      expectRefused(d, `${d}: model.json: weight src_embed/weight: shape ${JSON.stringify(shape)}`);
    }
  });

  it('refuses a shape the config does not give, an unknown or missing weight, another dtype', () => {
    const wrongShape = variant((v) => editManifest(v, (m) => (m[0].weights[0].shape = [m[0].weights[0].shape[0], 9])));
    expectRefused(wrongShape, 'weight src_embed/weight has shape [', 'config.json and the vocabularies give [');
    const huge = variant((v) => editManifest(v, (m) => (m[0].weights[0].shape = [1e9])));
    expectRefused(huge, 'weight src_embed/weight has shape [1000000000]');
    const renamed = variant((v) => editManifest(v, (m) => (m[0].weights[0].name = 'evil/weight')));
    expectRefused(renamed, 'unexpected: evil/weight', 'missing: src_embed/weight');
    const dtype = variant((v) => editManifest(v, (m) => (m[0].weights[0].dtype = 'int32')));
    expectRefused(dtype, 'weight src_embed/weight: dtype "int32"', 'float32');
  });

  it('refuses weights shorter or longer than the manifest says', () => {
    const size = readFileSync(join(base, 'weights.bin')).length;
    const short = variant((v) => truncateSync(join(v, 'weights.bin'), size - 4));
    expectRefused(short, `${short}: weights.bin holds ${size - 4} bytes; model.json describes ${size}`);
    const long = variant((v) =>
      writeFileSync(join(v, 'weights.bin'), Buffer.concat([readFileSync(join(base, 'weights.bin')), Buffer.alloc(8)])),
    );
    expectRefused(long, `weights.bin holds ${size + 8} bytes; model.json describes ${size}`);
  });

  it('refuses a config too large to load (12 layers, 8192 wide) quickly, without building it', () => {
    const d = variant((v) =>
      editJson(join(v, 'config.json'), (c) =>
        Object.assign(c, { num_layers: 12, hidden_size: 8192, embedding_dim: 4096 }),
      ),
    );
    const rss = process.memoryUsage().rss;
    const t = performance.now();
    expectRefused(d, `${d}: config.json:`, 'num_layers 12', 'hidden_size 8192', 'parameters', 'at most 500,000,000');
    expect(performance.now() - t).toBeLessThan(2000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 << 20);
  });

  it('refuses vocabulary sizes in model.json that differ from pipeline.json', () => {
    const d = variant((v) =>
      editJson(
        join(v, 'model.json'),
        (j) => ((j.userDefinedMetadata as { workbench: { srcVocabSize: number } }).workbench.srcVocabSize = 5),
      ),
    );
    expect(() => importModel(db, d)).toThrow(
      /model\.json: srcVocabSize 5 differs from pipeline\.json's source vocabulary \(\d+\)/,
    );
  });
});

describe('zip archives', () => {
  const entries = () =>
    Object.fromEntries(readdirSync(base).map((f) => [f, new Uint8Array(readFileSync(join(base, f)))]));

  it('refuses entries with traversal or absolute names instead of flattening them, writing nothing', () => {
    for (const name of ['../evil.txt', '/tmp/evil.txt', 'a/../../evil.txt', 'C:/evil.txt', 'a\\..\\evil.txt']) {
      const zip = join(dir, `evil-${n++}.zip`);
      writeFileSync(zip, zipSync({ ...entries(), [name]: strToU8('pwned') }));
      expectRefused(zip, `${zip}: zip entry "${name}" is not a plain relative name`);
    }
    expect(existsSync(join(privateTmp, 'evil.txt'))).toBe(false);
  });

  it('a zipped export folder (entries under one top folder) imports as is', () => {
    const zip = join(dir, 'wrapped.zip');
    writeFileSync(zip, zipSync(Object.fromEntries(Object.entries(entries()).map(([k, v]) => [`m-model/${k}`, v]))));
    const { runId } = importModel(db, zip);
    expect(readdirSync(join(dir, 'runs', String(runId), 'imported')).sort()).toEqual(readdirSync(base).sort());
  });

  it(
    'a failed zip import leaves no temporary folder (checked ' + 'by expectRefused), even when the archive is corrupt',
    () => {
      const zip = join(dir, 'corrupt.zip');
      writeFileSync(zip, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64)]));
      expectRefused(zip, `${zip}: not a zip archive`);
      const noWeights = join(dir, 'short.zip');
      const e = entries();
      e['weights.bin'] = e['weights.bin'].subarray(0, 16);
      writeFileSync(noWeights, zipSync(e));
      expectRefused(noWeights, 'weights.bin holds 16 bytes');
    },
  );
});

describe('model export never writes over the store', () => {
  it('refuses the store file and the runs folder', () => {
    const runId = listRuns(db)[0].id;
    const zipOverRuns = join(dir, 'runs', String(runId), 'copy.zip');
    expect(() => exportModel(db, runId, dbPath)).toThrow(
      expect.objectContaining({
        code: 'bad_input',
        message: expect.stringContaining(`${dbPath}: is the workbench store`),
      }),
    );
    expect(() => exportModel(db, runId, zipOverRuns)).toThrow(`${zipOverRuns}: lies inside the store's runs folder`);
    const metricsOverRuns = join(dir, 'runs', String(runId), 'metrics.csv');
    expect(() => exportMetrics(db, [runId], metricsOverRuns)).toThrow(
      `${metricsOverRuns}: lies inside the store's runs folder`,
    );
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('replaces an existing zip whole, leaving no temporary beside it', () => {
    const runId = listRuns(db)[0].id;
    const zip = join(dir, 'again.zip');
    writeFileSync(zip, 'old');
    exportModel(db, runId, zip);
    expect(readFileSync(zip).subarray(0, 2).toString()).toBe('PK');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('modelLayout (the shapes the import checks against) equals what buildModel creates', () => {
  it('for every model family and option that changes the parameters', async () => {
    await initBackend('cpu');
    const configs: Array<Partial<RunConfigInput>> = [
      {},
      { bidirectional: false, attention: 'none', init_hidden: 'last' },
      { rnn_type: 'gru', attention: 'luong', luong_score: 'general', num_layers: 2 },
      { bidirectional: false, attention: 'luong', luong_score: 'dot', input_feeding: false, init_hidden: 'zero' },
      { rnn_type: 'gru', tied_softmax: true, init_hidden: 'bridge' },
      { model_type: 'transformer', num_heads: 2, ff_size: 16, num_layers: 2 },
      { model_type: 'transformer', num_heads: 2, ff_size: 16, tied_softmax: true },
    ];
    for (const over of configs) {
      const config = parseRunConfig({ ...TINY, ...over });
      const model = buildModel(config, 11, 13, 1);
      const built = Object.fromEntries([...model.variables].map(([name, v]) => [name, v.shape]));
      model.dispose();
      expect(
        Object.fromEntries(modelLayout(config, 11, 13).map((p) => [p.name, p.shape])),
        JSON.stringify(over),
      ).toEqual(built);
    }
  });
});
