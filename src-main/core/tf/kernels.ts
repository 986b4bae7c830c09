import * as tf from '@tensorflow/tfjs-core';
import { installBatchMatMul } from './batch-matmul.ts';
import { replaceKernel, type WasmBackend } from './wasm-kernel.ts';
import { registerWasmSlice } from './wasm-slice.ts';

/**
 * Kernel fixes that make training work, and work fast, without libtensorflow
 * (measured in ../shared/ENVIRONMENT.md and bench/kernels.ts):
 *
 * 1. UnsortedSegmentSum, the gradient of every embedding lookup (Gather), is
 *    missing on wasm and loops over the whole vocabulary per row on cpu. Both
 *    get a direct scatter-add: one pass over the rows.
 * 2. wasm's BatchMatMul leaves XNNPACK's fast path when an input is
 *    transposed (every matmul gradient is): ~2 instead of ~27 GFLOP/s.
 *    Materialising the transpose first and multiplying plainly is faster
 *    (batch-matmul.ts, which also routes products to OpenBLAS on wasm-blas).
 * 3. wasm's Identity copies its input. The engine clones every tensor a
 *    gradient saves (~600 per LSTM train step), so it shares the buffer, as
 *    the cpu backend does (no wasm kernel writes into its inputs); so does a
 *    Cast to the same dtype.
 * 4. wasm's Gather walks element by element; an embedding lookup (rows of a
 *    matrix) is a row copy each.
 */

interface KernelBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  disposeData(dataId: tf.DataId): boolean;
}

interface CpuBackend extends KernelBackend {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.backend_util.BackendValues): tf.TensorInfo;
}

const patched = new Set<string>();

/** Registers the fixes for one backend; idempotent. */
export function registerKernelFixes(backendName: string): void {
  if (patched.has(backendName)) return;
  patched.add(backendName);
  if (backendName === 'wasm' || backendName === 'cpu') registerSegmentSum(backendName);
  if (backendName === 'wasm') installBatchMatMul(null); // a no-op where wasm-blas installed its own
  if (backendName === 'wasm') registerWasmSlice();
  if (backendName === 'wasm') registerSharedIdentity();
  if (backendName === 'wasm') registerRowGather();
}

function registerSharedIdentity(): void {
  for (const kernelName of ['Identity', 'Cast']) {
    replaceKernel(kernelName, 'wasm', (original) => (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const dtype = (args.attrs as { dtype?: tf.DataType } | undefined)?.dtype ?? x.dtype;
      if (dtype !== x.dtype || x.dtype === 'string') return original(args);
      (args.backend as unknown as WasmBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    });
  }
}

/** Gather along axis 0 without batch dims: x [N, ...row], indices [...] → [...indices, ...row]. */
function registerRowGather(): void {
  replaceKernel('GatherV2', 'wasm', (original) => (args) => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
    if (axis !== 0 || batchDims !== 0 || x.dtype === 'string' || x.shape.length === 0) return original(args);
    const backend = args.backend as unknown as WasmBackend;
    const [rows, ...rowShape] = x.shape;
    const width = rowShape.reduce((p, d) => p * d, 1);
    const out = backend.makeOutput([...indices.shape, ...rowShape], x.dtype);
    // Views taken after makeOutput: allocating may grow (and move) the heap.
    const ids = backend.typedArrayFromHeap(indices);
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    for (let i = 0; i < ids.length; i++) {
      const row = ids[i];
      if (!(row >= 0 && row < rows)) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${row} is not in [0, ${rows - 1}]`);
      }
      dst.set(src.subarray(row * width, (row + 1) * width), i * width);
    }
    return out;
  });
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

export function registerSegmentSum(backendName: 'wasm' | 'cpu'): void {
  if (tf.getKernel('UnsortedSegmentSum', backendName)) tf.unregisterKernel('UnsortedSegmentSum', backendName);
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const b = backend as KernelBackend;
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
      return (backend as CpuBackend).makeTensorInfo(outShape, 'float32', values);
    },
  });
}
