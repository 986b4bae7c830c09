import { CONFIG_GROUPS, PRESETS, RunConfigSchema, type ConfigGroup, type ConfigKey, type RunConfig } from './config.ts';

/**
 * The run-config schema described as form fields (kind, choices, default,
 * documentation), so the launch form is generated from the one schema and
 * never drifts from what the trainer accepts; plus what the form needs to be
 * read by a person: a label in words beside the option's (JoeyNMT) name, the
 * concern it belongs to, and when it applies at all (num_heads only to a
 * Transformer, momentum only to SGD...).
 */
export interface ConfigField {
  key: ConfigKey;
  group: ConfigGroup;
  section: SectionId;
  /** in words: "Learning rate" (the key, learning_rate, is shown beside it) */
  label: string;
  kind: 'enum' | 'boolean' | 'integer' | 'number' | 'string' | 'json';
  options: string[];
  nullable: boolean;
  default: unknown;
  description: string;
}

interface ZodLike {
  description?: string;
  _zod: {
    def: {
      type: string;
      innerType?: ZodLike;
      entries?: Record<string, string>;
      checks?: Array<{ _zod: { def: { check: string; format?: string } } }>;
    };
  };
}

export const CONFIG_DEFAULTS: RunConfig = RunConfigSchema.parse({ dataset: 'builtin:tutorial' });

/** The form's sections, one concern each, in the order they are shown. */
export const SECTIONS = [
  { id: 'split', title: 'Data split' },
  { id: 'tokens', title: 'Tokens and vocabulary' },
  { id: 'architecture', title: 'Architecture' },
  { id: 'attention', title: 'Attention' },
  { id: 'regularisation', title: 'Regularisation' },
  { id: 'init', title: 'Initialisation' },
  { id: 'optimizer', title: 'Optimizer' },
  { id: 'schedule', title: 'Learning-rate schedule' },
  { id: 'batches', title: 'Batches and loss' },
  { id: 'length', title: 'Training length and validation' },
  { id: 'decoding', title: 'Decoding at validation' },
] as const;
export type SectionId = (typeof SECTIONS)[number]['id'];

/** A config as the form holds it (keys the schema may not have yet are read as absent). */
type Values = Readonly<Record<string, unknown>>;
/** null: the option applies; else why it does not ("only with model_type = transformer"). */
type When = (c: Values) => string | null;

const only =
  (key: string, ...values: unknown[]): When =>
  (c) =>
    values.includes(c[key]) ? null : `only with ${key} = ${values.join(' or ')}`;
const both =
  (...rules: When[]): When =>
  (c) =>
    rules.map((r) => r(c)).find((r) => r !== null) ?? null;
const recurrent = only('model_type', 'recurrent');
const beam: When = (c) => (Number(c.beam_size) > 1 ? null : 'only with beam_size > 1 (beam search)');
const sampled: When = (c) => (c.sampling === true ? null : 'only with sampling');
const GAINED = ['xavier', 'xavier_uniform', 'xavier_normal', 'orthogonal'];
const RANGED = ['uniform', 'normal'];

interface FieldMeta {
  label: string;
  section: SectionId;
  when?: When;
}

/**
 * Every option's label, section and applicability. Keyed by name (not ConfigKey)
 * so an option is described here before or after it lands in the schema; a test
 * checks every schema key has its entry.
 */
export const FIELD_META: Readonly<Record<string, FieldMeta>> = {
  dataset: { label: 'Dataset', section: 'split' },
  split: { label: 'Split name', section: 'split' },
  split_seed: { label: 'Split seed', section: 'split' },
  valid_ratio: { label: 'Validation share', section: 'split' },
  test_ratio: { label: 'Test share', section: 'split' },
  level: { label: 'Token level', section: 'tokens' },
  lowercase: { label: 'Lowercase', section: 'tokens' },
  bpe_merges: { label: 'BPE merges', section: 'tokens', when: only('level', 'bpe') },
  joint_vocab: { label: 'One vocabulary for both languages', section: 'tokens' },
  src_voc_limit: { label: 'English vocabulary size', section: 'tokens' },
  src_voc_min_freq: { label: 'English min. frequency', section: 'tokens' },
  trg_voc_limit: { label: 'Hindi vocabulary size', section: 'tokens' },
  trg_voc_min_freq: { label: 'Hindi min. frequency', section: 'tokens' },
  max_sent_length: { label: 'Longest training sentence', section: 'tokens' },

  model_type: { label: 'Model', section: 'architecture' },
  rnn_type: { label: 'Recurrent cell', section: 'architecture', when: recurrent },
  num_layers: { label: 'Layers', section: 'architecture' },
  bidirectional: { label: 'Bidirectional encoder', section: 'architecture', when: recurrent },
  embedding_dim: { label: 'Embedding size', section: 'architecture' },
  hidden_size: { label: 'Hidden size', section: 'architecture' },
  num_heads: { label: 'Attention heads', section: 'architecture', when: only('model_type', 'transformer') },
  ff_size: { label: 'Feed-forward size', section: 'architecture', when: only('model_type', 'transformer') },
  init_hidden: { label: 'Decoder start state', section: 'architecture', when: recurrent },
  tied_softmax: { label: 'Tie output to embeddings', section: 'architecture' },
  tied_embeddings: {
    label: 'Share source and target embeddings',
    section: 'architecture',
    when: only('joint_vocab', true),
  },
  attention: { label: 'Attention', section: 'attention', when: recurrent },
  luong_score: { label: 'Luong score', section: 'attention', when: both(recurrent, only('attention', 'luong')) },
  input_feeding: {
    label: 'Input feeding',
    section: 'attention',
    when: both(recurrent, only('attention', 'bahdanau', 'luong')),
  },
  dropout: { label: 'Dropout', section: 'regularisation' },
  emb_dropout: { label: 'Embedding dropout', section: 'regularisation' },
  label_smoothing: { label: 'Label smoothing', section: 'regularisation' },
  weight_decay: { label: 'Weight decay (L2)', section: 'regularisation' },
  initializer: { label: 'Weights', section: 'init' },
  init_gain: {
    label: 'Weight gain',
    section: 'init',
    when: (c) =>
      GAINED.includes(String(c.initializer)) || GAINED.includes(String(c.bias_initializer))
        ? null
        : 'only with a Xavier or orthogonal initializer',
  },
  init_weight: { label: 'Weight range / std', section: 'init', when: only('initializer', ...RANGED) },
  embed_initializer: { label: 'Embeddings', section: 'init' },
  embed_init_gain: {
    label: 'Embedding gain',
    section: 'init',
    when: (c) =>
      GAINED.includes(String(c.embed_initializer)) ? null : 'only with a Xavier or orthogonal embed_initializer',
  },
  embed_init_weight: { label: 'Embedding range / std', section: 'init', when: only('embed_initializer', ...RANGED) },
  bias_initializer: { label: 'Biases', section: 'init' },
  bias_init_weight: { label: 'Bias range / std', section: 'init', when: only('bias_initializer', ...RANGED) },
  init_rnn_orthogonal: { label: 'Orthogonal recurrent kernels', section: 'init', when: recurrent },
  lstm_forget_gate: {
    label: 'LSTM forget-gate bias',
    section: 'init',
    when: both(recurrent, only('rnn_type', 'lstm')),
  },

  optimizer: { label: 'Optimizer', section: 'optimizer' },
  learning_rate: { label: 'Learning rate', section: 'optimizer' },
  adam_betas: { label: 'Adam betas', section: 'optimizer', when: only('optimizer', 'adam') },
  momentum: { label: 'Momentum', section: 'optimizer', when: only('optimizer', 'sgd') },
  clip_grad_norm: { label: 'Clip gradient norm', section: 'optimizer' },
  scheduling: { label: 'Schedule', section: 'schedule' },
  decrease_factor: { label: 'Decrease factor', section: 'schedule', when: only('scheduling', 'plateau') },
  patience: { label: 'Patience (validations)', section: 'schedule', when: only('scheduling', 'plateau') },
  learning_rate_warmup: {
    label: 'Warm-up steps',
    section: 'schedule',
    when: only('scheduling', 'noam', 'warmupinversesquareroot'),
  },
  learning_rate_factor: { label: 'Noam factor', section: 'schedule', when: only('scheduling', 'noam') },
  learning_rate_min: { label: 'Stop below learning rate', section: 'schedule' },
  batch_size: { label: 'Batch size', section: 'batches' },
  batch_type: { label: 'Batch unit', section: 'batches' },
  batch_multiplier: { label: 'Batches per update', section: 'batches' },
  normalization: { label: 'Loss normalisation', section: 'batches' },
  teacher_forcing_ratio: { label: 'Teacher forcing ratio', section: 'batches' },
  max_epochs: { label: 'Epochs', section: 'length' },
  max_steps: { label: 'Max. updates', section: 'length' },
  validation_freq: { label: 'Validate every', section: 'length' },
  logging_freq: { label: 'Log every', section: 'length' },
  early_stopping_metric: { label: 'Best checkpoint by', section: 'length' },
  early_stopping_patience: { label: 'Early-stopping patience', section: 'length' },
  keep_best_ckpts: { label: 'Best checkpoints kept', section: 'length' },
  max_valid_sents: { label: 'Validation sentences', section: 'length' },
  print_valid_sents: { label: 'Sample sentences', section: 'length' },
  cartography: { label: 'Record dataset cartography', section: 'length' },
  random_seed: { label: 'Random seed', section: 'length' },
  load_model: { label: 'Start from the weights of', section: 'init' },

  beam_size: { label: 'Beam size', section: 'decoding' },
  beam_alpha: { label: 'Length penalty alpha', section: 'decoding', when: beam },
  length_penalty: { label: 'Length penalty', section: 'decoding', when: beam },
  n_best: { label: 'Hypotheses returned', section: 'decoding', when: beam },
  max_output_length: { label: 'Longest output', section: 'decoding' },
  min_output_length: { label: 'Shortest output', section: 'decoding' },
  no_repeat_ngram_size: { label: 'No repeated n-grams of', section: 'decoding' },
  repetition_penalty: { label: 'Repetition penalty', section: 'decoding' },
  sampling: { label: 'Sample instead of searching', section: 'decoding' },
  temperature: { label: 'Sampling temperature', section: 'decoding', when: sampled },
  top_k: { label: 'Sample among the k most likely', section: 'decoding', when: sampled },
  top_p: { label: 'Sample within probability mass', section: 'decoding', when: sampled },
  sampling_seed: { label: 'Sampling seed', section: 'decoding', when: sampled },
  sacrebleu_tokenize: { label: 'BLEU tokenizer', section: 'decoding' },
};

const FALLBACK_SECTION: Record<ConfigGroup, SectionId> = {
  data: 'tokens',
  model: 'architecture',
  training: 'length',
  decoding: 'decoding',
};

export function configFields(): ConfigField[] {
  return (Object.keys(RunConfigSchema.shape) as ConfigKey[]).map((key) => {
    let t = RunConfigSchema.shape[key] as unknown as ZodLike;
    const description = t.description ?? '';
    let nullable = false;
    for (;;) {
      const d = t._zod.def;
      if ((d.type === 'default' || d.type === 'nullable' || d.type === 'optional') && d.innerType) {
        if (d.type === 'nullable') nullable = true;
        t = d.innerType;
      } else break;
    }
    const def = t._zod.def;
    const isInt = (def.checks ?? []).some(
      (c) => c._zod.def.format === 'safeint' || c._zod.def.check === 'number_format',
    );
    const kind: ConfigField['kind'] =
      def.type === 'enum'
        ? 'enum'
        : def.type === 'boolean'
          ? 'boolean'
          : def.type === 'number'
            ? isInt
              ? 'integer'
              : 'number'
            : def.type === 'string'
              ? 'string'
              : 'json';
    const meta = FIELD_META[key];
    return {
      key,
      group: CONFIG_GROUPS[key],
      section: meta?.section ?? FALLBACK_SECTION[CONFIG_GROUPS[key]],
      label: meta?.label ?? key.replaceAll('_', ' '),
      kind,
      options: def.entries ? Object.values(def.entries) : [],
      nullable,
      default: CONFIG_DEFAULTS[key],
      description,
    };
  });
}

/** Why an option does not apply to this config (null: it applies), e.g. momentum under Adam. */
export function notApplicable(key: string, config: Values): string | null {
  return FIELD_META[key]?.when?.(config) ?? null;
}

/**
 * The dataset a preset is meant for: its own when it names one (tutorial), else
 * the stored dataset named after the preset's family (tatoeba-lstm → "tatoeba",
 * or one whose name contains it), else the built-in sample (more than the
 * tutorial's six pairs). Null: the preset names no family and no dataset.
 */
export function presetDataset(preset: string, datasets: readonly string[]): string | null {
  const own = (PRESETS as Record<string, { dataset?: string }>)[preset]?.dataset;
  if (own) return own;
  const family = preset.split('-')[0];
  if (!family || family === preset) return null;
  return (
    datasets.find((d) => d === family) ?? datasets.find((d) => d.toLowerCase().includes(family)) ?? 'builtin:sample'
  );
}
