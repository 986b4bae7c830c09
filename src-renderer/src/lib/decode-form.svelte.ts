import { configIssueInWords } from '@common/config-issues.ts';
import { DecodeRequestSchema } from '@common/decode-settings.ts';
import type { DecodeSettingsInput } from './types.ts';

export type DecodeMode = 'greedy' | 'beam' | 'sample';

/**
 * The Playground's search options as the user sets them (greedy, beam or sampling, and the
 * length/repetition controls all three share), and the decode settings they make. One
 * instance per view: it stays mounted, so the options survive a view switch.
 */
export class DecodeForm {
  mode = $state<DecodeMode>('greedy');
  beamSize = $state(5);
  nBest = $state(3);
  alpha = $state(0);
  lengthPenalty = $state<'none' | 'avg' | 'gnmt'>('gnmt');
  noRepeat = $state(0);
  repetition = $state(1);
  minLength = $state(1);
  /** 0: the run's own max_output_length (a ratio of the source length by default) */
  maxLength = $state(0);
  // Sampling (core/decode/sampling.ts): n samples, shaped by temperature, top-k and top-p; the seed reproduces them.
  samples = $state(3);
  temperature = $state(1);
  topK = $state(0);
  topP = $state(1);
  seed = $state(1);
  /** the forced Hindi prefix (what-if): the output must start with it */
  prefix = $state('');

  /** the request's settings for the chosen mode (the other modes' options are left out) */
  settings = $derived.by<DecodeSettingsInput>(() => {
    const shared = {
      return_topk: 5,
      prefix: this.prefix || undefined,
      no_repeat_ngram_size: this.noRepeat || undefined,
      repetition_penalty: this.repetition,
      min_output_length: this.minLength,
      max_output_length: this.maxLength || undefined,
    };
    if (this.mode === 'greedy') return { ...shared, beam_size: 1, n_best: 1 };
    if (this.mode === 'sample') {
      const { samples, temperature, topK, topP, seed } = this;
      return { ...shared, sampling: true, n_best: samples, temperature, top_k: topK, top_p: topP, sampling_seed: seed };
    }
    return {
      ...shared,
      beam_size: this.beamSize,
      n_best: this.nBest,
      beam_alpha: this.alpha,
      length_penalty: this.lengthPenalty,
      return_tree: true,
    };
  });

  // Checked against the contract's own schema (common/decode-settings.ts), in the launch form's words;
  // n_best above beam_size widens the beam in the core (normaliseDecodeSettings).
  problem = $derived.by(() => {
    const parsed = DecodeRequestSchema.safeParse(this.settings);
    if (parsed.success) return '';
    const { key, message } = configIssueInWords(parsed.error.issues[0]);
    return `${key} ${message}`;
  });
}
