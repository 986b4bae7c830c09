import { describe, expect, it } from 'vitest';
import { buildRunConfig, ConfigError, parseRunConfig } from '../src-main/common/config.ts';

/** What a user reads when a config is refused: the option and a sentence, not zod's wording (issue 13 B4). */
function issuesOf(value: Record<string, unknown>): Record<string, string> {
  try {
    parseRunConfig({ dataset: 'd', ...value });
  } catch (err) {
    if (err instanceof ConfigError) return Object.fromEntries(err.issues.map((i) => [i.key, i.message]));
    throw err;
  }
  return {};
}

describe('config issues in words', () => {
  it('refuses learning_rate = 0 (nothing would train) and says why', () => {
    expect(issuesOf({ learning_rate: 0 })).toEqual({ learning_rate: 'must be more than 0' });
    expect(() => buildRunConfig({ preset: 'tutorial', overrides: { learning_rate: 0 } })).toThrow(
      /learning_rate: must be more than 0/,
    );
    expect(issuesOf({ learning_rate: 1e-9 })).toEqual({});
  });

  it('says bounds, whole numbers, choices, types and unknown options in words', () => {
    expect(
      issuesOf({
        valid_ratio: 0.9,
        num_layers: 1.5,
        level: 'x',
        batch_size: 'a',
        max_output_length: Number.NaN,
        hidden_size: 99_999,
        foo: 1,
        split: '',
      }),
    ).toEqual({
      valid_ratio: 'must be at most 0.5',
      num_layers: 'must be a whole number',
      level: 'must be one of: word, char, bpe',
      batch_size: 'must be a number',
      max_output_length: 'must be a number',
      hidden_size: 'must be at most 8192',
      foo: 'unknown option',
      split: 'must not be empty',
    });
    expect(issuesOf({ batch_size: 0 })).toEqual({ batch_size: 'must be at least 1' });
    expect(issuesOf({ clip_grad_norm: 'x' })).toEqual({ clip_grad_norm: 'must be a number (or null: none)' });
  });

  it('names the option of a pair value, with which of the two is wrong', () => {
    expect(issuesOf({ adam_betas: [0.9, 2] })).toEqual({ adam_betas: 'second value: must be at most 1' });
    expect(issuesOf({ adam_betas: 0.9 })).toEqual({ adam_betas: 'must be a list of 2 numbers, e.g. [0.9, 0.999]' });
  });
});
