import type { RunConfig } from '../../common/config.ts';

/**
 * The parameters buildModel(config, srcVocab, trgVocab) creates, by name and
 * shape, worked out from the config alone: an imported model is checked against
 * this before anything is allocated or its weights are read (building the model
 * of a hostile config would allocate first). It mirrors the model classes in
 * core/model; test/model-import-safety.test.ts keeps the two equal for every
 * option that changes the parameters.
 */
export interface ParamSpec {
  name: string;
  shape: number[];
}

export function modelLayout(config: RunConfig, srcVocab: number, trgVocab: number): ParamSpec[] {
  const out: ParamSpec[] = [];
  const add = (name: string, ...shape: number[]) => out.push({ name, shape });
  const E = config.embedding_dim;
  const H = config.hidden_size;
  add('src_embed/weight', srcVocab, E);
  if (!config.tied_embeddings) add('trg_embed/weight', trgVocab, E); // tied: the source table serves both
  if (config.model_type === 'transformer') transformerLayout(config, add);
  else recurrentLayout(config, add);
  if (!config.tied_softmax) add('decoder/output_layer/kernel', H, trgVocab);
  add('decoder/output_layer/bias', trgVocab);
  return out;
}

type Add = (name: string, ...shape: number[]) => void;

function recurrentLayout(config: RunConfig, add: Add): void {
  const { embedding_dim: E, hidden_size: H, num_layers: L } = config;
  const gates = config.rnn_type === 'lstm' ? 4 : 3;
  const cell = (name: string, input: number) => {
    add(`${name}/kernel`, input, gates * H);
    add(`${name}/recurrent_kernel`, H, gates * H);
    add(`${name}/bias`, gates * H);
    if (config.rnn_type === 'gru') add(`${name}/recurrent_bias`, gates * H);
  };
  const dirs = config.bidirectional ? 2 : 1;
  for (let l = 0; l < L; l++) {
    cell(`encoder/layer${l}/fwd`, l === 0 ? E : dirs * H);
    if (config.bidirectional) cell(`encoder/layer${l}/bwd`, l === 0 ? E : dirs * H);
  }
  const encDim = dirs * H;
  const inputFeeding = config.attention !== 'none' && config.input_feeding;
  for (let l = 0; l < L; l++) cell(`decoder/layer${l}`, l === 0 ? E + (inputFeeding ? H : 0) : H);
  if (config.attention === 'bahdanau') {
    add('decoder/attention/key_layer', encDim, H);
    add('decoder/attention/query_layer', H, H);
    add('decoder/attention/energy_layer', H, 1);
  } else if (config.attention === 'luong' && config.luong_score === 'general')
    add('decoder/attention/key_layer', encDim, H);
  if (config.attention !== 'none') add('decoder/att_vector_layer', H + encDim, H);
  if (config.init_hidden === 'bridge') {
    add('decoder/bridge_h', encDim, H);
    if (config.rnn_type === 'lstm') add('decoder/bridge_c', encDim, H);
  }
}

function transformerLayout(config: RunConfig, add: Add): void {
  const d = config.hidden_size;
  const norm = (name: string) => {
    add(`${name}/gamma`, d);
    add(`${name}/beta`, d);
  };
  const attention = (name: string) => {
    for (const w of ['q', 'k', 'v', 'output']) add(`${name}/${w}`, d, d);
  };
  const feedForward = (name: string) => {
    add(`${name}/w1`, d, config.ff_size);
    add(`${name}/b1`, config.ff_size);
    add(`${name}/w2`, config.ff_size, d);
    add(`${name}/b2`, d);
  };
  for (let l = 0; l < config.num_layers; l++) {
    const n = `encoder/layer${l}`;
    norm(`${n}/ln1`);
    attention(`${n}/self_att`);
    norm(`${n}/ln2`);
    feedForward(`${n}/ff`);
  }
  for (let l = 0; l < config.num_layers; l++) {
    const n = `decoder/layer${l}`;
    norm(`${n}/ln1`);
    attention(`${n}/self_att`);
    norm(`${n}/ln2`);
    attention(`${n}/src_att`);
    norm(`${n}/ln3`);
    feedForward(`${n}/ff`);
  }
  norm('encoder/layer_norm');
  norm('decoder/layer_norm');
}
