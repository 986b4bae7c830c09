import * as tf from '@tensorflow/tfjs-core';

/**
 * System metrics recorded with the losses at every logging step (issue 14 #3), so a
 * chart shows memory over time beside them: the trainer process's resident memory,
 * and what tfjs holds in tensors (on webgpu: GPU buffers), both in MiB.
 */
export function systemMetrics(): Array<{ name: string; value: number }> {
  const mib = 2 ** 20;
  return [
    { name: 'system/memory_mb', value: process.memoryUsage.rss() / mib },
    { name: 'system/tensor_mb', value: tf.memory().numBytes / mib },
  ];
}
