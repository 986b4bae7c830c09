import { describe, expect, it } from 'vitest';
import {
  CONFIG_DEFAULTS,
  configFields,
  FIELD_META,
  notApplicable,
  presetDataset,
  SECTIONS,
} from '../src-main/common/config-fields.ts';
import { RunConfigSchema } from '../src-main/common/config.ts';

/** What the launch form is generated from (issue 13 B4: 70 raw snake_case fields, irrelevant ones enabled). */
describe('launch form fields', () => {
  it('every option has a label in words and a section', () => {
    const sections = new Set<string>(SECTIONS.map((s) => s.id));
    for (const key of Object.keys(RunConfigSchema.shape)) {
      expect(FIELD_META[key], key).toBeDefined();
      expect(sections.has(FIELD_META[key].section), key).toBe(true);
      expect(FIELD_META[key].label, key).not.toMatch(/_/);
    }
    const f = configFields().find((x) => x.key === 'learning_rate');
    expect(f).toMatchObject({ label: 'Learning rate', section: 'optimizer', kind: 'number' });
  });

  it('hides what does not apply, saying why (the cases a new user hit)', () => {
    const recurrent = {
      ...CONFIG_DEFAULTS,
      model_type: 'recurrent',
      attention: 'bahdanau',
      optimizer: 'adam',
      level: 'word',
    };
    expect(notApplicable('num_heads', recurrent)).toBe('only with model_type = transformer');
    expect(notApplicable('ff_size', recurrent)).toBe('only with model_type = transformer');
    expect(notApplicable('luong_score', recurrent)).toBe('only with attention = luong');
    expect(notApplicable('momentum', recurrent)).toBe('only with optimizer = sgd');
    expect(notApplicable('bpe_merges', recurrent)).toBe('only with level = bpe');
    expect(notApplicable('n_best', recurrent)).toMatch(/beam_size > 1/);
    expect(notApplicable('input_feeding', recurrent)).toBeNull();
    expect(notApplicable('learning_rate', recurrent)).toBeNull();
    const transformer = { ...recurrent, model_type: 'transformer', optimizer: 'sgd', level: 'bpe', scheduling: 'noam' };
    expect(
      ['num_heads', 'ff_size', 'momentum', 'bpe_merges', 'learning_rate_warmup', 'learning_rate_factor'].map((k) =>
        notApplicable(k, transformer),
      ),
    ).toEqual([null, null, null, null, null, null]);
    expect(notApplicable('attention', transformer)).toBe('only with model_type = recurrent');
    expect(notApplicable('luong_score', { ...transformer, attention: 'luong' })).toBe(
      'only with model_type = recurrent',
    );
    expect(notApplicable('adam_betas', transformer)).toBe('only with optimizer = adam');
  });

  it('a preset brings its dataset', () => {
    expect(presetDataset('tutorial', ['tatoeba'])).toBe('builtin:tutorial');
    expect(presetDataset('tatoeba-lstm', ['mine', 'tatoeba'])).toBe('tatoeba');
    expect(presetDataset('tatoeba-attention', ['Tatoeba-2024'])).toBe('Tatoeba-2024');
    expect(presetDataset('tatoeba-transformer', [])).toBe('builtin:sample');
  });
});
