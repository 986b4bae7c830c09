import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildRunConfig,
  ConfigError,
  INITIALIZERS,
  parseOverride,
  PRESETS,
  type RunConfigInput,
} from '../src-main/common/config.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import { fillInitial, type InitSpec } from '../src-main/core/model/initializers.ts';
import { Rng } from '../src-main/core/rng.ts';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { tinyConfig } from './model-fixtures.ts';

/**
 * Initialisation (JoeyNMT's keys): the config refuses bad values naming the key, each initializer
 * draws the distribution it documents, each parameter role follows its keys, and the recurrent
 * presets start as PyTorch does (what made them learn as fast per epoch as PyTorch: bench/learning-parity.ts).
 */
beforeAll(async () => {
  await initBackend('cpu');
});

interface Stats {
  mean: number;
  std: number;
  min: number;
  max: number;
}
function stats(v: ArrayLike<number>): Stats & { n: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    sum += v[i];
    min = Math.min(min, v[i]);
    max = Math.max(max, v[i]);
  }
  const mean = sum / v.length;
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += (v[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / v.length), min, max, n: v.length };
}

/** Element-wise equality (vitest's toEqual takes seconds on 500k-element typed arrays). */
const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.prototype.every.call(a, (x: number, i: number) => x === b[i]);

const draw = (shape: number[], spec: Partial<InitSpec> & Pick<InitSpec, 'scheme'>, gates = 1) => {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  fillInitial(values, shape, { gain: 1, weight: 0.01, ...spec }, new Rng(3), gates);
  return values;
};

/**
 * A uniform U(±limit) on a large tensor: inside the range, reaching its ends, mean 0 and std limit/sqrt(3)
 * within 4 standard errors (n values).
 */
function expectUniform(s: Stats & { n: number }, limit: number): void {
  const sd = limit / Math.sqrt(3);
  expect(s.max).toBeLessThanOrEqual(limit);
  expect(s.min).toBeGreaterThanOrEqual(-limit);
  expect(s.max).toBeGreaterThan(0.99 * limit);
  expect(s.min).toBeLessThan(-0.99 * limit);
  expect(Math.abs(s.mean)).toBeLessThan((4 * sd) / Math.sqrt(s.n));
  expect(Math.abs(s.std / sd - 1)).toBeLessThan(4 / Math.sqrt(s.n));
}

/** N(0, std): mean and std within 4 standard errors, and tails past 3 std (not a clipped or uniform shape). */
function expectNormal(s: Stats & { n: number }, std: number): void {
  expect(Math.abs(s.mean)).toBeLessThan((4 * std) / Math.sqrt(s.n));
  expect(Math.abs(s.std / std - 1)).toBeLessThan(4 / Math.sqrt(s.n));
  expect(Math.max(s.max, -s.min)).toBeGreaterThan(3 * std);
}

describe('initializers draw the documented distributions (512 x 1024 values)', () => {
  const shape = [512, 1024];

  it('uniform: U(±init_weight)', () => {
    expectUniform(stats(draw(shape, { scheme: 'uniform', weight: 0.0625 })), 0.0625);
  });

  it('normal: N(0, init_weight)', () => {
    expectNormal(stats(draw(shape, { scheme: 'normal', weight: 0.5 })), 0.5);
  });

  it('xavier_uniform (and its old name xavier): U(±gain·sqrt(6/(fan_in+fan_out)))', () => {
    expectUniform(stats(draw(shape, { scheme: 'xavier_uniform', gain: 2 })), 2 * Math.sqrt(6 / (512 + 1024)));
    expect(same(draw(shape, { scheme: 'xavier' }), draw(shape, { scheme: 'xavier_uniform' }))).toBe(true);
  });

  it('xavier_normal: N(0, gain·sqrt(2/(fan_in+fan_out)))', () => {
    expectNormal(stats(draw(shape, { scheme: 'xavier_normal', gain: 1.5 })), 1.5 * Math.sqrt(2 / (512 + 1024)));
  });

  it('xavier over gates: each [in, H] gate block is its own matrix (fan_out = H, as JoeyNMT xavier_uniform_n_)', () => {
    expectUniform(stats(draw(shape, { scheme: 'xavier_uniform' }, 4)), Math.sqrt(6 / (512 + 256)));
  });

  it('zeros', () => {
    expect(stats(draw(shape, { scheme: 'zeros' }))).toEqual({ mean: 0, std: 0, min: 0, max: 0, n: 512 * 1024 });
  });

  /** Q^T Q of the columns (tall) or Q Q^T of the rows (wide) of one [rows, cols] block. */
  function gram(
    values: Float32Array,
    rows: number,
    cols: number,
    offset: number,
    stride: number,
    byColumns: boolean,
  ): number[][] {
    const [k, n] = byColumns ? [cols, rows] : [rows, cols];
    const at = (i: number, j: number) =>
      byColumns ? values[j * stride + offset + i] : values[i * stride + offset + j];
    return Array.from({ length: k }, (_, a) =>
      Array.from({ length: k }, (_, b) => {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += at(a, i) * at(b, i);
        return dot;
      }),
    );
  }
  const maxOff = (g: number[][], diag: number) =>
    Math.max(...g.flatMap((row, i) => row.map((x, j) => Math.abs(x - (i === j ? diag : 0)))));

  it('orthogonal: gain · a (semi-)orthogonal matrix per gate block, wide or tall', () => {
    // [64, 4*32], 4 gates: each [64, 32] block has orthonormal columns (times the gain)
    const tall = draw([64, 128], { scheme: 'orthogonal', gain: 1.5 }, 4);
    for (let g = 0; g < 4; g++) expect(maxOff(gram(tall, 64, 32, g * 32, 128, true), 1.5 ** 2)).toBeLessThan(1e-5);
    // a whole [32, 96] matrix: orthonormal rows
    const wide = draw([32, 96], { scheme: 'orthogonal' });
    expect(maxOff(gram(wide, 32, 96, 0, 96, false), 1)).toBeLessThan(1e-5);
    // a square block is orthogonal both ways and not the identity (it is random)
    const square = draw([48, 48], { scheme: 'orthogonal' });
    expect(maxOff(gram(square, 48, 48, 0, 48, true), 1)).toBeLessThan(1e-5);
    expect(Math.abs(square[0])).toBeLessThan(0.9);
  });
});

describe('each parameter follows its role’s keys', () => {
  const H = 64;
  const E = 32;
  const model = (over: Partial<RunConfigInput>, vocab = 4000) =>
    buildModel(
      tinyConfig({ embedding_dim: E, hidden_size: H, attention: 'none', init_hidden: 'last', ...over }),
      vocab,
      vocab,
      5,
    );
  const values = (m: ReturnType<typeof model>, name: string) => {
    const v = m.variables.get(name);
    if (!v) throw new Error(`no parameter ${name}: ${[...m.variables.keys()].join(', ')}`);
    return v.dataSync();
  };

  it('embeddings: embed_initializer/embed_init_weight; null weight: variance 1/embedding_dim', () => {
    const m = model({ embed_initializer: 'normal', embed_init_weight: 1 });
    expectNormal(stats(values(m, 'src_embed/weight')), 1);
    expectNormal(stats(values(m, 'trg_embed/weight')), 1);
    m.dispose();
    const auto = model({});
    expectUniform(stats(values(auto, 'src_embed/weight')), Math.sqrt(3 / E));
    auto.dispose();
  });

  it('weights: initializer; biases: bias_initializer; the LSTM forget gate: lstm_forget_gate unless null', () => {
    const m = model({
      initializer: 'uniform',
      init_weight: 0.2,
      bias_initializer: 'uniform',
      bias_init_weight: 0.05,
      lstm_forget_gate: 1,
    });
    expectUniform(stats(values(m, 'encoder/layer0/fwd/kernel')), 0.2);
    expectUniform(stats(values(m, 'decoder/output_layer/kernel')), 0.2);
    expectUniform(stats(values(m, 'decoder/output_layer/bias')), 0.05);
    const bias = values(m, 'decoder/layer0/bias');
    // gates i f g o: f = [H, 2H)
    expect(stats(bias.slice(H, 2 * H))).toEqual({ mean: 1, std: 0, min: 1, max: 1, n: H });
    expect(stats(bias.slice(0, H)).max).toBeLessThanOrEqual(0.05);
    expect(stats(bias.slice(0, H)).std).toBeGreaterThan(0.01);
    m.dispose();
    const free = model({ bias_initializer: 'uniform', bias_init_weight: 0.05, lstm_forget_gate: null });
    expect(stats(values(free, 'decoder/layer0/bias').slice(H, 2 * H)).std).toBeGreaterThan(0.01);
    free.dispose();
  });

  it(
    'init_rnn_orthogonal: the recurrent kernels are orthogonal ' +
      'gate by gate, the input kernels keep the initializer',
    () => {
      const m = model({ init_rnn_orthogonal: true, initializer: 'uniform', init_weight: 0.1 });
      const rec = values(m, 'decoder/layer0/recurrent_kernel'); // [H, 4H]
      for (let g = 0; g < 4; g++) {
        let dot = 0; // column 0 of block g with itself and with column 1
        let cross = 0;
        for (let r = 0; r < H; r++) {
          dot += rec[r * 4 * H + g * H] ** 2;
          cross += rec[r * 4 * H + g * H] * rec[r * 4 * H + g * H + 1];
        }
        expect(dot).toBeCloseTo(1, 4);
        expect(cross).toBeCloseTo(0, 4);
      }
      expectUniform(stats(values(m, 'decoder/layer0/kernel')), 0.1);
      m.dispose();
    },
  );

  it('the same seed draws the same weights (the initializer state is the seed alone)', () => {
    const over = { initializer: 'orthogonal', embed_initializer: 'normal', bias_initializer: 'normal' } as const;
    const [a, b] = [model(over, 300), model(over, 300)];
    for (const name of a.variables.keys()) expect(same(values(a, name), values(b, name)), name).toBe(true);
    a.dispose();
    b.dispose();
  });
});

describe('config keys', () => {
  const refused = (over: Record<string, unknown>) => {
    try {
      buildRunConfig({ preset: 'tatoeba-lstm', overrides: { dataset: 'x', ...over } });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).issues.map((i) => i.key);
    }
    throw new Error(`accepted ${JSON.stringify(over)}`);
  };

  it('bad values are refused naming the field', () => {
    for (const key of ['initializer', 'embed_initializer', 'bias_initializer'])
      expect(refused({ [key]: 'he_uniform' })).toEqual([key]);
    for (const key of ['init_gain', 'init_weight', 'embed_init_gain', 'embed_init_weight', 'bias_init_weight']) {
      expect(refused({ [key]: -0.1 })).toEqual([key]);
      expect(refused({ [key]: 'big' })).toEqual([key]);
    }
    expect(refused({ init_rnn_orthogonal: 'yes' })).toEqual(['init_rnn_orthogonal']);
    expect(refused({ lstm_forget_gate: 'one' })).toEqual(['lstm_forget_gate']);
    expect(refused({ init_weight: null })).toEqual(['init_weight']);
  });

  it('--set parses them by type', () => {
    const overrides = Object.fromEntries(
      [
        'initializer=orthogonal',
        'init_weight=0.1',
        'embed_init_weight=null',
        'lstm_forget_gate=null',
        'init_rnn_orthogonal=true',
      ].map(parseOverride),
    );
    const c = buildRunConfig({ overrides: { dataset: 'x', ...overrides } });
    expect([c.initializer, c.init_weight, c.embed_init_weight, c.lstm_forget_gate, c.init_rnn_orthogonal]).toEqual([
      'orthogonal',
      0.1,
      null,
      null,
      true,
    ]);
    expect(INITIALIZERS).toEqual([
      'xavier_uniform',
      'xavier_normal',
      'uniform',
      'normal',
      'zeros',
      'orthogonal',
      'xavier',
    ]);
  });

  it(
    'the schema defaults: JoeyNMT’s (Xavier, zero biases, ' + 'forget gate 1), embeddings of variance 1/embedding_dim',
    () => {
      const c = buildRunConfig({ overrides: { dataset: 'x' } });
      expect([
        c.initializer,
        c.init_gain,
        c.init_weight,
        c.bias_initializer,
        c.lstm_forget_gate,
        c.init_rnn_orthogonal,
      ]).toEqual(['xavier_uniform', 1, 0.01, 'zeros', 1, false]);
      expect([c.embed_initializer, c.embed_init_weight]).toEqual(['uniform', null]);
    },
  );
});

describe('the recurrent presets start as PyTorch does', () => {
  for (const preset of ['tutorial', 'tatoeba-lstm', 'tatoeba-attention'] as const) {
    it(`${preset}: embeddings N(0, 1), weights and biases U(±1/sqrt(hidden_size)), no forget-gate offset`, () => {
      const config = buildRunConfig({ preset, overrides: { dataset: 'x' } });
      const H = config.hidden_size;
      expect(PRESETS[preset]).toMatchObject({
        initializer: 'uniform',
        embed_initializer: 'normal',
        bias_initializer: 'uniform',
      });
      expect([config.init_weight, config.bias_init_weight, config.embed_init_weight, config.lstm_forget_gate]).toEqual([
        1 / Math.sqrt(H),
        1 / Math.sqrt(H),
        1,
        null,
      ]);
      const m = buildModel(config, 3000, 3000, 1);
      const v = (name: string) => stats(m.variables.get(name)?.dataSync() ?? []);
      expectNormal(v('src_embed/weight'), 1);
      expectUniform(v('decoder/layer0/recurrent_kernel'), 1 / Math.sqrt(H)); // nn.LSTM weight_hh
      expectUniform(v('encoder/layer0/fwd/kernel'), 1 / Math.sqrt(H)); // nn.LSTM weight_ih
      expectUniform(v('decoder/output_layer/kernel'), 1 / Math.sqrt(H)); // nn.Linear(H, V).weight
      expect(v('decoder/layer0/bias').max).toBeLessThanOrEqual(1 / Math.sqrt(H)); // forget gate included
      m.dispose();
    });
  }

  it(
    'the Transformer preset keeps the schema’s scheme (Xavier, ' +
      'embeddings of variance 1/d under the sqrt(d) scaling)',
    () => {
      const c = buildRunConfig({ preset: 'tatoeba-transformer', overrides: { dataset: 'x' } });
      expect([c.initializer, c.embed_initializer, c.embed_init_weight, c.bias_initializer]).toEqual([
        'xavier_uniform',
        'uniform',
        null,
        'zeros',
      ]);
    },
  );
});
