import { afterAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src-main/core/tf/backend.ts';

/**
 * tfjs-backend-cpu greets every Node process on its first tensor ("Hi, looks like you are
 * running TensorFlow.js in Node.js ... install our node backend"): noise in CLI output and test
 * logs, where the backend choice is already made and recorded by initBackend.
 */
const warn = vi.spyOn(console, 'warn');
afterAll(() => warn.mockRestore());

describe('the cpu backend', () => {
  it('computes without printing the tfjs-node banner', async () => {
    await initBackend('cpu');
    expect(Array.from(await tf.add(tf.tensor1d([1, 2]), 1).data())).toEqual([2, 3]);
    const printed = warn.mock.calls.map((args) => args.join(' ')).join('\n');
    expect(printed).not.toContain('Hi, looks like');
  });
});
