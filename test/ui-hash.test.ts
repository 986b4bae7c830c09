import { describe, expect, it } from 'vitest';
import { hashOf, parseHash } from '../src-renderer/src/lib/hash.ts';

/** The renderer's routes as data: each view's last route is kept and linked back to (issue 13 B3). */
describe('hash routes', () => {
  it('parses a view, its path and its parameters, and writes them back', () => {
    const r = parseHash('#/compare?runs=1,2&metric=valid/bleu');
    expect([r.view, r.parts, r.params.get('runs'), r.params.get('metric')]).toEqual([
      'compare',
      [],
      '1,2',
      'valid/bleu',
    ]);
    expect(hashOf(r.view, r)).toBe('#/compare?runs=1%2C2&metric=valid%2Fbleu');
    expect(parseHash(hashOf(r.view, r)).params.get('runs')).toBe('1,2');
    expect(parseHash('#/runs/3')).toMatchObject({ view: 'runs', parts: ['3'] });
    expect(hashOf('playground')).toBe('#/playground');
  });

  it('an unknown or empty hash opens the datasets view', () => {
    expect(parseHash('').view).toBe('datasets');
    expect(parseHash('#/nowhere/1').view).toBe('datasets');
  });
});
