import type { RunConfig } from '../../common/config.ts';
import { badInput } from '../../common/errors.ts';

/**
 * The rules between options that decide whether a model can be built at all
 * (each option alone is valid in the schema; together they may not be). The
 * launch checks them before a run exists, the launch form shows them, and the
 * model constructors assert them, so a mistake is named once, the same way,
 * before any training process starts.
 */
export interface ConfigIssue {
  key: string;
  message: string;
}

export function modelConfigIssues(config: RunConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { embedding_dim: E, hidden_size: H } = config;
  if (config.tied_embeddings && !config.joint_vocab) {
    const message = 'tied_embeddings needs joint_vocab: true (one vocabulary, so one embedding table fits both sides)';
    issues.push({ key: 'tied_embeddings', message });
  }
  if (config.model_type === 'transformer') {
    if (E !== H)
      issues.push({ key: 'embedding_dim', message: `transformer needs embedding_dim (${E}) = hidden_size (${H})` });
    if (H % config.num_heads !== 0)
      issues.push({ key: 'num_heads', message: `hidden_size ${H} must be divisible by num_heads ${config.num_heads}` });
    return issues;
  }
  if (config.init_hidden === 'last' && config.bidirectional) {
    issues.push({
      key: 'init_hidden',
      message:
        'init_hidden=last needs a unidirectional encoder (a bidirectional one is twice the decoder size); use bridge',
    });
  }
  if (config.tied_softmax && E !== H)
    issues.push({ key: 'tied_softmax', message: `tied_softmax needs embedding_dim (${E}) = hidden_size (${H})` });
  if (config.attention === 'luong' && config.luong_score === 'dot' && config.bidirectional) {
    issues.push({
      key: 'luong_score',
      message:
        `luong_score=dot needs encoder states and decoder hidden of one size (a ` +
        `bidirectional encoder gives ${2 * H}, the decoder ${H}); use general`,
    });
  }
  return issues;
}

/** One embedding table for both sides needs both vocabularies to be one (a joint pipeline makes them so). */
export function assertTiedVocabularies(config: RunConfig, srcVocabSize: number, trgVocabSize: number): void {
  if (config.tied_embeddings && srcVocabSize !== trgVocabSize) {
    const message = `tied_embeddings needs one vocabulary, got ${srcVocabSize} source and ${trgVocabSize} target ones`;
    throw badInput(message, { field: 'tied_embeddings' });
  }
}

/** For the model constructors: the first issue as a bad_input naming its option. */
export function assertModelConfig(config: RunConfig): void {
  const [first] = modelConfigIssues(config);
  if (first) throw badInput(first.message, { field: first.key });
}
