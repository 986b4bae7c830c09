import { installBatchMatMul } from './batch-matmul.ts';
import { KERNEL_FIXES } from './kernel-configs/index.ts';
import { registerKernelSpecs } from './kernel-spec.ts';

/**
 * Kernel fixes that make training work, and work fast, without libtensorflow (measured in
 * ../shared/ENVIRONMENT.md and bench/kernels.ts), one declared kernel a file in kernel-configs/:
 *
 * 1. UnsortedSegmentSum, the gradient of every embedding lookup, missing on wasm, slow on cpu.
 * 2. wasm's BatchMatMul leaves XNNPACK's fast path when an input is transposed (every matmul gradient
 *    is): batch-matmul.ts materialises the transpose first (and routes products to OpenBLAS on wasm-blas).
 * 3. wasm's Slice, Unpack and SplitV copy their whole input off the heap per output (wasm-slice.ts).
 * 4. wasm's Identity (and a Cast to the same dtype) copies its input; it shares the buffer instead.
 * 5. wasm's Gather walks element by element; an embedding lookup is a row copy each.
 */
export function registerKernelFixes(backendName: string): void {
  registerKernelSpecs(KERNEL_FIXES.filter((k) => k.backendName === backendName));
  if (backendName === 'wasm') installBatchMatMul(null); // a no-op where wasm-blas installed its own
}
