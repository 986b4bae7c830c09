import { z } from 'zod';
import { configIssueInWords } from './config-issues.ts';
import { DecodeSettingsSchema } from './decode-settings.ts';

/** Initializer names (JoeyNMT's; `xavier` is its older name for xavier_uniform). */
export const INITIALIZERS = [
  'xavier_uniform',
  'xavier_normal',
  'uniform',
  'normal',
  'zeros',
  'orthogonal',
  'xavier',
] as const;
export type Initializer = (typeof INITIALIZERS)[number];

/**
 * Every option of a training run, in one validated schema with its default and a
 * line of documentation. Names follow JoeyNMT where JoeyNMT has the option, so a
 * researcher recognises them. The object is flat (keys are unique across groups)
 * so `--set key=value`, the launch form and the compare view's parameter table all
 * address an option by one name; `CONFIG_GROUPS` says which group each belongs to.
 *
 * This module is `common`: it runs in Node, in the renderer and in the browser.
 */

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max);
const num = (min: number, max = Number.POSITIVE_INFINITY) => z.number().min(min).max(max);

export const RunConfigSchema = z
  .object({
    // ---- data -------------------------------------------------------------------
    dataset: z.string().min(1).describe('Dataset name in the store (or builtin:tutorial, builtin:sample).'),
    split: z
      .string()
      .min(1)
      .default('default')
      .describe('Name of the stored split; created from split_seed/valid_ratio/test_ratio if absent.'),
    split_seed: int(0).default(1).describe('Seed of the train/valid/test split (when the split is created).'),
    valid_ratio: num(0, 0.5)
      .default(0.1)
      .describe('Share of pairs held out for validation (when the split is created).'),
    test_ratio: num(0, 0.5).default(0.1).describe('Share of pairs held out for testing (when the split is created).'),
    level: z.enum(['word', 'char', 'bpe']).default('word').describe('Tokenization level of both sides.'),
    lowercase: z.boolean().default(false).describe('Lowercase both sides before tokenizing.'),
    bpe_merges: int(0).default(4000).describe('BPE merge operations learned on the train split (level=bpe).'),
    joint_vocab: z
      .boolean()
      .default(false)
      .describe(
        'One vocabulary (and at level=bpe one BPE model) learned over both sides together, ' +
          'as subword-nmt learn_joint_bpe_and_vocab; its size is the larger of src_voc_limit and trg_voc_limit, ' +
          'its minimum frequency the smaller of the two. Needed by tied_embeddings.',
      ),
    src_voc_limit: int(1).default(10000).describe('Maximum source vocabulary size (specials included).'),
    src_voc_min_freq: int(1).default(1).describe('Minimum frequency of a source token in the train split.'),
    trg_voc_limit: int(1).default(10000).describe('Maximum target vocabulary size (specials included).'),
    trg_voc_min_freq: int(1).default(1).describe('Minimum frequency of a target token in the train split.'),
    max_sent_length: int(1)
      .default(50)
      .describe('Training pairs with a side longer than this (in tokens) are skipped.'),

    // ---- model ------------------------------------------------------------------
    model_type: z.enum(['recurrent', 'transformer']).default('recurrent').describe('Encoder-decoder family.'),
    rnn_type: z.enum(['lstm', 'gru']).default('lstm').describe('Recurrent cell (model_type=recurrent).'),
    num_layers: int(1, 12).default(1).describe('Layers in the encoder and in the decoder.'),
    bidirectional: z
      .boolean()
      .default(false)
      .describe('Bidirectional encoder (recurrent); a bridge maps it to the decoder size.'),
    embedding_dim: int(1, 4096).default(128).describe('Size of the token embeddings.'),
    hidden_size: int(1, 8192).default(256).describe('Size of the RNN state / the Transformer model dimension.'),
    attention: z
      .enum(['none', 'bahdanau', 'luong'])
      .default('none')
      .describe('Attention over encoder states (recurrent).'),
    luong_score: z
      .enum(['general', 'dot'])
      .default('general')
      .describe('Luong score function: general (x^T W y) or dot (x^T y).'),
    input_feeding: z
      .boolean()
      .default(true)
      .describe('Feed the previous attentional vector into the decoder input (Luong et al. 2015, 3.3).'),
    init_hidden: z
      .enum(['last', 'bridge', 'zero'])
      .default('bridge')
      .describe("Decoder initial state: the encoder's last state as is, through a learned bridge, or zeros."),
    tied_softmax: z.boolean().default(false).describe('Tie the decoder embedding matrix and the output layer.'),
    tied_embeddings: z
      .boolean()
      .default(false)
      .describe('One embedding table for source and target (needs joint_vocab).'),
    num_heads: int(1, 64).default(4).describe('Attention heads (model_type=transformer).'),
    ff_size: int(1, 32768).default(1024).describe('Feed-forward inner size (model_type=transformer).'),
    dropout: num(0, 0.9).default(0.1).describe('Dropout on hidden states / Transformer sublayers.'),
    emb_dropout: num(0, 0.9).default(0.0).describe('Dropout on embeddings.'),
    // Initialisation, as JoeyNMT names it (joeynmt/initialization.py). The schema's defaults are JoeyNMT's,
    // except embeddings (uniform ±sqrt(3/embedding_dim), variance 1/embedding_dim, which the Transformer's
    // sqrt(d) scaling turns into unit variance); the presets set PyTorch's defaults (see PYTORCH_INIT).
    initializer: z
      .enum(INITIALIZERS)
      .default('xavier_uniform')
      .describe(
        'Initializer of the weight matrices: xavier_uniform (xavier: same), xavier_normal, uniform ' +
          '(±init_weight), normal (std init_weight), zeros, orthogonal; RNN kernels gate by gate. ' +
          'The recurrent presets (tutorial, tatoeba-lstm, tatoeba-attention) start as PyTorch does ' +
          '(uniform ±1/sqrt(256) weights and biases, N(0, 1) embeddings, no forget-gate offset): ' +
          'With the defaults here the Tatoeba LSTM learned about ' +
          '12 epochs behind the same model in PyTorch on the same ' +
          "batches (train loss at epoch 30: 0.97 vs 0.081); with PyTorch's scheme 0.077 (bench/learning-parity.ts).",
      ),
    init_gain: num(0)
      .default(1.0)
      .describe(
        'Gain of xavier_uniform, xavier_normal and orthogonal (initializer, and bias_initializer when Xavier).',
      ),
    init_weight: num(0)
      .default(0.01)
      .describe('Range (uniform: ±init_weight) or standard deviation (normal) of the weight initializer.'),
    embed_initializer: z
      .enum(INITIALIZERS)
      .default('uniform')
      .describe('Initializer of the embedding tables (same choices as initializer).'),
    embed_init_gain: num(0).default(1.0).describe('Gain of the embedding initializer when Xavier or orthogonal.'),
    embed_init_weight: num(0)
      .nullable()
      .default(null)
      .describe(
        'Range (uniform) or standard deviation (normal) of the embedding initializer ' +
          '(null: sqrt(3/embedding_dim) for uniform, 1/sqrt(embedding_dim) for normal).',
      ),
    bias_initializer: z
      .enum(INITIALIZERS)
      .default('zeros')
      .describe('Initializer of the bias vectors (same choices as initializer).'),
    bias_init_weight: num(0)
      .default(0.01)
      .describe('Range (uniform) or standard deviation (normal) of the bias initializer.'),
    init_rnn_orthogonal: z
      .boolean()
      .default(false)
      .describe(
        'Initialise the recurrent (hidden-to-hidden) RNN kernels orthogonally, gate by gate, whatever the initializer.',
      ),
    lstm_forget_gate: num(-100, 100)
      .nullable()
      .default(1.0)
      .describe(
        'LSTM forget-gate bias at start (Jozefowicz et al., 2015: 1 remembers by ' +
          'default early in training); null: left to bias_initializer, as PyTorch does.',
      ),

    // ---- training ---------------------------------------------------------------
    optimizer: z.enum(['adam', 'sgd']).default('adam').describe('Optimizer.'),
    learning_rate: num(0)
      .positive()
      .default(0.001)
      .describe('Initial learning rate (more than 0: at 0 nothing would train).'),
    adam_betas: z
      .tuple([num(0, 1), num(0, 1)])
      .default([0.9, 0.999])
      .describe('Adam beta1, beta2.'),
    momentum: num(0, 1).default(0).describe('SGD momentum.'),
    weight_decay: num(0).default(0).describe('L2 weight decay.'),
    clip_grad_norm: num(0)
      .nullable()
      .default(1.0)
      .describe('Clip the global gradient norm to this value (null: no clipping).'),
    scheduling: z
      .enum(['none', 'plateau', 'noam', 'warmupinversesquareroot'])
      .default('none')
      .describe('Learning-rate schedule.'),
    decrease_factor: num(0, 1).default(0.5).describe('Plateau: multiply the learning rate by this on a plateau.'),
    patience: int(0)
      .default(5)
      .describe('Plateau: validations without improvement before decreasing the learning rate.'),
    learning_rate_warmup: int(0).default(4000).describe('Noam / inverse-sqrt: warm-up steps.'),
    learning_rate_factor: num(0).default(1).describe('Noam: scale factor.'),
    learning_rate_min: num(0).default(1e-8).describe('Stop training when the learning rate falls below this.'),
    batch_size: int(1).default(64).describe('Batch size, in sentences or target tokens (batch_type).'),
    batch_type: z.enum(['sentence', 'token']).default('sentence').describe('Unit of batch_size.'),
    batch_multiplier: int(1)
      .default(1)
      .describe(
        'Gradient accumulation: sum the gradients of this many batches, then update once ' +
          '(the loss normalised over all of them).',
      ),
    normalization: z
      .enum(['tokens', 'batch'])
      .default('tokens')
      .describe('Normalize the loss by target tokens or by sentences.'),
    label_smoothing: num(0, 0.99).default(0).describe('Label smoothing epsilon.'),
    teacher_forcing_ratio: num(0, 1)
      .default(1)
      .describe('Probability of feeding the gold previous token (1: always; scheduled sampling below 1).'),
    max_epochs: int(1).default(10).describe('Stop after this many epochs.'),
    max_steps: int(0).default(0).describe('Stop after this many updates (0: no limit).'),
    validation_freq: int(0).default(0).describe('Validate every N updates (0: at the end of every epoch).'),
    logging_freq: int(1)
      .default(10)
      .describe('Record training loss, learning rate, gradient norm and tokens/s every N updates.'),
    early_stopping_metric: z
      .enum(['loss', 'ppl', 'bleu', 'chrf'])
      .default('ppl')
      .describe('Validation metric that picks the best checkpoint and drives early stopping.'),
    early_stopping_patience: int(0)
      .default(0)
      .describe('Stop after this many validations without improvement (0: never stop early).'),
    keep_best_ckpts: int(1).default(3).describe('How many best checkpoints to keep (the latest is always kept).'),
    max_valid_sents: int(0).default(500).describe('Validate on at most this many validation pairs (0: all).'),
    print_valid_sents: int(0)
      .default(5)
      .describe('How many fixed validation sentences to record as samples at each validation.'),
    cartography: z
      .boolean()
      .default(false)
      .describe(
        'Dataset cartography (Swayamdipta et al. 2020): record, per training pair and epoch, the mean probability ' +
          'of its gold tokens in the training forward pass; the pair table sorts by confidence and variability.',
      ),
    random_seed: int(0)
      .default(42)
      .describe('Seed of initialization, shuffling and dropout: same seed, data and backend give the same losses.'),
    load_model: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe(
        "Fine-tuning (JoeyNMT's load_model): start from another run's " +
          'weights, RUN or RUN:CHECKPOINT (best, latest, averaged, a step) ' +
          "or a checkpoint folder. The run keeps that run's vocabulary; weights whose name and shape match are loaded.",
      ),

    // ---- decoding (validation and translate) --------------------------------------
    ...DecodeSettingsSchema.shape, // beam_size … repetition_penalty: common/decode-settings.ts
    sacrebleu_tokenize: z
      .enum(['13a', 'intl', 'none', 'char'])
      .default('intl')
      .describe('sacreBLEU tokenizer for validation BLEU (intl splits the danda).'),
  })
  .strict();

/** A complete, validated run configuration. */
export type RunConfig = z.infer<typeof RunConfigSchema>;
/** What a user writes: everything optional but the dataset. */
export type RunConfigInput = z.input<typeof RunConfigSchema>;
export type ConfigKey = keyof RunConfig;

export type ConfigGroup = 'data' | 'model' | 'training' | 'decoding';

const GROUP_BOUNDARIES: Array<[ConfigKey, ConfigGroup]> = [
  ['dataset', 'data'],
  ['model_type', 'model'],
  ['optimizer', 'training'],
  ['beam_size', 'decoding'],
];

/** Which group each option belongs to, in declaration order (drives the launch form). */
export const CONFIG_GROUPS: Record<ConfigKey, ConfigGroup> = (() => {
  const out = {} as Record<ConfigKey, ConfigGroup>;
  let group: ConfigGroup = 'data';
  for (const key of Object.keys(RunConfigSchema.shape) as ConfigKey[]) {
    const boundary = GROUP_BOUNDARIES.find(([k]) => k === key);
    if (boundary) group = boundary[1];
    out[key] = group;
  }
  return out;
})();

/**
 * PyTorch's default initialisation, for the recurrent presets (E=128, H=256): nn.Embedding draws
 * N(0, 1); nn.LSTM draws every weight and both biases from U(±1/sqrt(H)) = U(±0.0625); nn.Linear
 * (the output layer, in_features = H) its weight and bias from U(±1/sqrt(in)) = U(±0.0625); no
 * forget-gate offset. Why (bench/learning-parity.ts, Tatoeba, the same batches in both): with the
 * schema's defaults the tatoeba-lstm config reached train loss 0.97 at epoch 30 where PyTorch reached
 * 0.081, and PyTorch given our old scheme reached 1.01, so initialisation was the whole gap; with
 * these it reaches 0.077. The embeddings' scale is what matters (epoch 15: 0.78 with these, 2.47 with
 * these but embeddings of variance 1/E, 0.55 with Xavier weights and N(0, 1) embeddings): small
 * inputs give the gates little signal and Adam moves each embedding entry only ~lr per step.
 * Validation after 20 epochs (workbench train, Tatoeba split seed 1) improved with it too: best BLEU
 * tatoeba-lstm 3.19 -> 5.15, tatoeba-attention 3.77 -> 7.11 (chrF 15.5 -> 17.4, 16.8 -> 21.3).
 */
export const PYTORCH_INIT = {
  initializer: 'uniform',
  init_weight: 0.0625,
  embed_initializer: 'normal',
  embed_init_weight: 1,
  bias_initializer: 'uniform',
  bias_init_weight: 0.0625,
  lstm_forget_gate: null,
} as const satisfies Partial<RunConfigInput>;

/**
 * Presets: partial configs merged under the user's own settings.
 * `tutorial` mirrors the classic Keras-style English→Hindi tutorial: six pairs,
 * embedding 128, hidden 256, Adam, the encoder's final (h, c) handed to the decoder.
 */
export const PRESETS = {
  tutorial: {
    dataset: 'builtin:tutorial',
    valid_ratio: 0,
    test_ratio: 0,
    lowercase: true,
    embedding_dim: 128,
    hidden_size: 256,
    attention: 'none',
    init_hidden: 'last',
    dropout: 0,
    batch_size: 6,
    learning_rate: 0.01,
    max_epochs: 150,
    validation_freq: 0,
    logging_freq: 5,
    early_stopping_metric: 'loss',
    clip_grad_norm: null,
    ...PYTORCH_INIT,
  },
  'tatoeba-lstm': {
    lowercase: true,
    embedding_dim: 128,
    hidden_size: 256,
    attention: 'none',
    init_hidden: 'last',
    dropout: 0.1,
    batch_size: 64,
    learning_rate: 0.002,
    max_epochs: 20,
    trg_voc_min_freq: 1,
    early_stopping_metric: 'bleu',
    ...PYTORCH_INIT,
  },
  'tatoeba-attention': {
    lowercase: true,
    embedding_dim: 128,
    hidden_size: 256,
    bidirectional: true,
    attention: 'bahdanau',
    init_hidden: 'bridge',
    dropout: 0.2,
    batch_size: 64,
    learning_rate: 0.002,
    max_epochs: 20,
    early_stopping_metric: 'bleu',
    ...PYTORCH_INIT,
  },
  'tatoeba-transformer': {
    lowercase: true,
    model_type: 'transformer',
    embedding_dim: 128,
    hidden_size: 128,
    num_layers: 2,
    num_heads: 4,
    ff_size: 512,
    dropout: 0.1,
    batch_size: 64,
    learning_rate: 0.0005,
    scheduling: 'warmupinversesquareroot',
    learning_rate_warmup: 400,
    label_smoothing: 0.1,
    max_epochs: 30,
    early_stopping_metric: 'bleu',
  },
  /**
   * A small Transformer for ~30k real pairs (iitb-sample + wikicrowd) trained for about an hour on a 2-core
   * CPU: one joint BPE vocabulary (FLORES-200 <unk> under 0.1%), one embedding table for the source, the
   * target and the output layer, batches of target tokens, a short warm-up because an hour is only
   * ~1000 updates here, label smoothing, the best checkpoint by chrF on the validation split.
   */
  'real-data': {
    level: 'bpe',
    joint_vocab: true,
    bpe_merges: 8000,
    src_voc_limit: 8000,
    trg_voc_limit: 8000,
    max_sent_length: 100,
    model_type: 'transformer',
    embedding_dim: 256,
    hidden_size: 256,
    num_layers: 3,
    num_heads: 4,
    ff_size: 1024,
    tied_embeddings: true,
    tied_softmax: true,
    dropout: 0.1,
    adam_betas: [0.9, 0.98],
    learning_rate: 0.001,
    scheduling: 'warmupinversesquareroot',
    learning_rate_warmup: 400,
    batch_type: 'token',
    batch_size: 2000,
    label_smoothing: 0.1,
    max_epochs: 20,
    validation_freq: 250,
    max_valid_sents: 200,
    early_stopping_metric: 'chrf',
    // Hindi BPE runs ~1.05x the English; an early model's runaway outputs would cost validation time.
    max_output_length: 1.5,
  },
} satisfies Record<string, Partial<RunConfigInput>>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** Accepted spellings of some values (the issue's and other toolkits'), mapped to ours. */
const VALUE_ALIASES: Partial<Record<ConfigKey, Record<string, string>>> = {
  scheduling: { 'warmup-inverse-sqrt': 'warmupinversesquareroot', inverse_sqrt: 'warmupinversesquareroot' },
  model_type: { rnn: 'recurrent', lstm: 'recurrent' },
};

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: Array<{ key: string; message: string }>,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Builds a validated config from a preset, a config object (file) and `key=value`
 * overrides, in that order of precedence (later wins). Errors name the key.
 */
export function buildRunConfig(parts: {
  preset?: string;
  base?: Record<string, unknown>;
  overrides?: Record<string, unknown>;
}): RunConfig {
  let merged: Record<string, unknown> = {};
  if (parts.preset !== undefined) {
    if (!(parts.preset in PRESETS)) {
      throw new ConfigError(`unknown preset "${parts.preset}" (known: ${PRESET_NAMES.join(', ')})`, [
        { key: 'preset', message: 'unknown preset' },
      ]);
    }
    merged = { ...PRESETS[parts.preset as PresetName] };
  }
  merged = { ...merged, ...(parts.base ?? {}), ...(parts.overrides ?? {}) };
  for (const [key, aliases] of Object.entries(VALUE_ALIASES)) {
    const v = merged[key];
    if (typeof v === 'string' && aliases && v in aliases) merged[key] = aliases[v];
  }
  return parseRunConfig(merged);
}

/** Validates a config object; the error lists every bad key with the reason. */
export function parseRunConfig(value: unknown): RunConfig {
  const result = RunConfigSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) =>
    configIssueInWords(i, RunConfigSchema.shape[i.path[0] as ConfigKey]?.safeParse(null).success),
  );
  throw new ConfigError(`invalid run config: ${issues.map((i) => `${i.key}: ${i.message}`).join('; ')}`, issues);
}

/**
 * Parses `key=value` from the command line against the schema's type of `key`:
 * numbers, booleans, null and JSON arrays are recognised; unknown keys are errors.
 */
export function parseOverride(assignment: string): [ConfigKey, unknown] {
  const eq = assignment.indexOf('=');
  if (eq <= 0)
    throw new ConfigError(`--set expects key=value, got "${assignment}"`, [
      { key: assignment, message: 'expected key=value' },
    ]);
  const key = assignment.slice(0, eq).trim();
  const raw = assignment.slice(eq + 1).trim();
  if (!(key in RunConfigSchema.shape)) {
    throw new ConfigError(`unknown option "${key}" in --set ${assignment}`, [{ key, message: 'unknown option' }]);
  }
  let value: unknown = raw;
  if (raw === 'true' || raw === 'false' || raw === 'null' || /^-?\d/.test(raw) || raw.startsWith('[')) {
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
  }
  return [key as ConfigKey, value];
}

/** Keys whose values differ between configs (the compare view's "differences only"). */
export function differingKeys(configs: ReadonlyArray<Partial<RunConfig>>): ConfigKey[] {
  const keys = Object.keys(RunConfigSchema.shape) as ConfigKey[];
  return keys.filter((k) => new Set(configs.map((c) => JSON.stringify(c[k] ?? null))).size > 1);
}
