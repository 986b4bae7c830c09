import { describe, expect, it } from 'vitest';
import { axisOf, axisTicks, brushed, position, rampColor } from '../src-renderer/src/lib/parallel-coords.ts';

describe('parallel coordinates', () => {
  it('picks a log axis for values spanning 10x, linear otherwise, categories for text', () => {
    const lr = axisOf('learning_rate', 'lr', [0.0001, 0.001, 0.01]);
    expect(lr.kind).toBe('log');
    expect(position(lr, 0.001)).toBeCloseTo(0.5, 12);
    const hidden = axisOf('hidden_size', 'hidden', [128, 256, 384]);
    expect(hidden.kind).toBe('linear');
    expect(position(hidden, 256)).toBeCloseTo(0.5, 12);
    const cell = axisOf('rnn_type', 'cell', ['lstm', 'gru', null]);
    expect(cell).toMatchObject({ kind: 'category', domain: ['gru', 'lstm'] });
    expect([position(cell, 'gru'), position(cell, 'lstm'), position(cell, null)]).toEqual([0, 1, null]);
    expect(position(axisOf('x', 'x', [5, 5]), 5)).toBe(0.5);
    // a grid's values are its ticks; a spread of many values gets five
    expect(axisTicks(hidden).map(([, l]) => l)).toEqual(['128', '256', '384']);
    const many = axisOf('bleu', 'bleu', [10, 11, 12, 13, 14, 15, 16, 17, 18, 30]);
    expect(axisTicks(many).map(([, l]) => l)).toEqual(['10', '15', '20', '25', '30']);
    expect(axisOf('lr', 'lr', [0.0003, 0.003]).kind).toBe('log');
  });

  it('keeps the runs inside every brush; a run without a value on a brushed axis is out', () => {
    const axes = [axisOf('h', 'h', [128, 256, 512]), axisOf('bleu', 'bleu', [10, 20, null])];
    const columns = [
      [128, 256, 512],
      [10, 20, null],
    ];
    expect(brushed(axes, columns, {})).toEqual([true, true, true]);
    expect(brushed(axes, columns, { h: { lo: 0.2, hi: 1 } })).toEqual([false, true, true]);
    expect(brushed(axes, columns, { h: { lo: 1, hi: 0.2 }, bleu: { lo: 0.5, hi: 1 } })).toEqual([false, true, false]);
  });

  it('colours low to high, unknown grey', () => {
    expect(rampColor(0)).toBe('#3b6fd8');
    expect(rampColor(1)).toBe('#e86a1a');
    expect(rampColor(null)).toBe('#999999');
  });
});
