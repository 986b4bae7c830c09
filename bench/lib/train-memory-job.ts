// Child of bench/train-memory.ts (run with --expose-gc): one training job, with its memory sampled.
// Prints peak RSS and heap per phase, and the heap held once training runs (right after a GC).
import { runTrainingJob } from '../../src-main/core/runs/job.ts';
import type { BackendPreference } from '../../src-main/core/tf/backend.ts';

const [dbPath, runId, backend] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const peaks = new Map<string, { rss: number; heap: number }>();
let phase = 'preparing';
const sample = () => {
  const m = process.memoryUsage();
  const p = peaks.get(phase) ?? { rss: 0, heap: 0 };
  peaks.set(phase, { rss: Math.max(p.rss, m.rss), heap: Math.max(p.heap, m.heapUsed) });
};
const timer = setInterval(sample, 50);
const t0 = performance.now();
let heldWhileTraining: number | null = null;
let firstStepAt: number | null = null;
const status = await runTrainingJob({
  dbPath,
  runId: Number(runId),
  backend: backend as BackendPreference,
  resume: false,
  report: (p) => {
    sample();
    if (p.phase === 'training' && heldWhileTraining === null) {
      firstStepAt = performance.now();
      gc?.();
      heldWhileTraining = process.memoryUsage().heapUsed;
    }
    phase = p.phase === 'done' ? phase : p.phase;
    sample();
  },
});
clearInterval(timer);
const s = (t: number) => `${((t - t0) / 1000).toFixed(1)} s`;
const first = firstStepAt === null ? '-' : s(firstStepAt);
console.log(`job ${status}; first update after ${first}, done after ${s(performance.now())}`);
for (const [name, p] of peaks)
  console.log(`  ${name.padEnd(10)} peak RSS ${mib(p.rss).padStart(9)}, peak heap ${mib(p.heap).padStart(9)}`);
console.log(`  heap held while training (after GC): ${heldWhileTraining === null ? '-' : mib(heldWhileTraining)}`);
console.log(`  process peak RSS (getrusage): ${mib(process.resourceUsage().maxRSS * 1024)}`);
