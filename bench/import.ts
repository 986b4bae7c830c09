// Import throughput: 1M synthetic English–Hindi pairs, streamed into a fresh store.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDataset } from '../src-main/core/data/import.ts';
import { openDb } from '../src-main/core/store/db.ts';

const n = Number(process.argv.find((a) => a.startsWith('--pairs='))?.slice(8) ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-import-'));
const file = join(dir, 'big.tsv');
const out = createWriteStream(file);
for (let i = 0; i < n; i++) {
  if (
    !out.write(
      `This is everyday sentence number ` +
        `${i}, for the benchmark.\tयह ` +
        `बेंचमार्क के लिए रोज़ का ` +
        `वाक्य संख्या ${i} है।\n`,
    )
  ) {
    await new Promise<void>((r) => out.once('drain', () => r()));
  }
}
await new Promise((r) => out.end(r));
const db = openDb(join(dir, 'bench.db'));
let peakRss = process.memoryUsage().rss;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const r = await importDataset(db, {
  name: 'bench',
  files: [file],
  onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)),
});
const s = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
// CPU seconds of this process: on a shared machine (load above the core count) wall time mostly measures the queue.
const cpuS = (cpu.user + cpu.system) / 1e6;
console.log(
  `import: ${r.pairs.toLocaleString()} pairs (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB ` +
    `TSV) in ${s.toFixed(2)} s = ${Math.round(r.pairs / s).toLocaleString()} pairs/s; peak RSS ` +
    `${(peakRss / 2 ** 20).toFixed(0)} MiB; ${cpuS.toFixed(2)} ` +
    `CPU s = ${Math.round(r.pairs / cpuS).toLocaleString()} ` +
    `pairs per CPU-second (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
);
// Validation is one pass over the dataset; the finding filter of the pair table then reuses it.
const { validateDataset } = await import('../src-main/core/data/findings.ts');
const { listPairs } = await import('../src-main/core/data/pairs.ts');
let t1 = performance.now();
const vcpu0 = process.cpuUsage();
const findings = validateDataset(db, r.datasetId);
const vs = (performance.now() - t1) / 1000;
const vcpu = process.cpuUsage(vcpu0);
const vcpuS = (vcpu.user + vcpu.system) / 1e6;
peakRss = Math.max(peakRss, process.memoryUsage().rss);
t1 = performance.now();
listPairs(db, r.datasetId, { finding: 'near_duplicate', limit: 100 });
const ls = (performance.now() - t1) / 1000;
console.log(
  `validate: ${r.pairs.toLocaleString()} pairs in ${vs.toFixed(2)} ` +
    `s = ${Math.round(r.pairs / vs).toLocaleString()} pairs/s ` +
    `(${findings.length.toLocaleString()} findings), ${vcpuS.toFixed(2)} CPU s ` +
    `= ${Math.round(r.pairs / vcpuS).toLocaleString()} pairs per CPU-second; ` +
    `a page filtered by finding afterwards: ${(ls * 1000).toFixed(0)} ` +
    `ms; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
);
db.close();
rmSync(dir, { recursive: true, force: true });
