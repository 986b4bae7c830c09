import type * as tf from '@tensorflow/tfjs-core';
import type { KernelSpec } from '../kernel-spec.ts';
import type { WasmBackend } from '../wasm-kernel.ts';

/**
 * UnsortedSegmentSum, the gradient of every embedding lookup (Gather): missing on wasm, and on cpu a loop
 * over the whole vocabulary per row. Both get a direct scatter-add: one pass over the rows.
 */
interface CpuBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.backend_util.BackendValues): tf.TensorInfo;
}

/** out[segmentIds[i], :] += x[i, :]  — x: [N, ...inner], out: [numSegments, ...inner] */
function scatterAdd(x: Float32Array, ids: ArrayLike<number>, inner: number, out: Float32Array): void {
  for (let i = 0; i < ids.length; i++) {
    const seg = ids[i];
    if (seg < 0) continue;
    const src = i * inner;
    const dst = seg * inner;
    for (let j = 0; j < inner; j++) out[dst + j] += x[src + j];
  }
}

export function segmentSum(backendName: 'wasm' | 'cpu'): KernelSpec {
  return {
    kernelName: 'UnsortedSegmentSum',
    backendName,
    kernelFunc:
      () =>
      ({ inputs, attrs, backend }) => {
        const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
        const numSegments = (attrs as { numSegments: number }).numSegments;
        const b = backend as CpuBackend;
        const xs = b.readSync(x.dataId) as Float32Array;
        const ids = b.readSync(segmentIds.dataId) as Int32Array;
        const inner = x.shape.slice(1).reduce((p, d) => p * d, 1);
        const outShape = [numSegments, ...x.shape.slice(1)];
        if (x.shape[0] !== ids.length)
          throw new Error(`UnsortedSegmentSum: ${x.shape[0]} rows but ${ids.length} segment ids`);
        if (backendName === 'wasm') {
          const wb = backend as WasmBackend;
          const out = wb.makeOutput(outShape, 'float32');
          const heap = wb.typedArrayFromHeap(out) as Float32Array;
          heap.fill(0);
          scatterAdd(xs, ids, inner, heap);
          return out;
        }
        const values = new Float32Array(numSegments * inner);
        scatterAdd(xs, ids, inner, values);
        return b.makeTensorInfo(outShape, 'float32', values);
      },
  };
}
