import { describe, expect, it } from 'vitest';
import { buildRunConfig, PRESET_NAMES } from '../src-main/common/config.ts';
import { presetDataset } from '../src-main/common/config-fields.ts';
import { modelConfigIssues } from '../src-main/core/model/config-rules.ts';
import { command as train } from '../src-main/cli/commands/train.ts';

/** The real-data preset (issue 12 #2): what the recipe promises, and that it builds. */
describe('preset real-data', () => {
  it('is a small Transformer on a joint BPE vocabulary with tied embeddings, token batches and chrF', () => {
    const c = buildRunConfig({ preset: 'real-data', overrides: { dataset: 'real-data' } });
    expect(c).toMatchObject({
      model_type: 'transformer',
      level: 'bpe',
      joint_vocab: true,
      tied_embeddings: true,
      tied_softmax: true,
      batch_type: 'token',
      scheduling: 'warmupinversesquareroot',
      label_smoothing: 0.1,
      early_stopping_metric: 'chrf',
    });
    expect(modelConfigIssues(c)).toEqual([]);
  });

  it('finds its dataset by name in the launch form', () => {
    expect(presetDataset('real-data', ['tatoeba', 'real-data'])).toBe('real-data');
  });

  it('is listed by workbench train --help, as every preset is', () => {
    for (const name of PRESET_NAMES) expect(train.usage).toContain(name);
  });
});
