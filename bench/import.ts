// Import throughput: 1M synthetic English–Hindi pairs, streamed into a fresh store.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDataset } from '../src-main/core/data/import.ts';
import { openDb } from '../src-main/core/store/db.ts';

const n = Number(process.argv.find((a) => a.startsWith('--pairs='))?.slice(8) ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-import-'));
const file = join(dir, 'big.tsv');
const out = createWriteStream(file);
for (let i = 0; i < n; i++) {
  if (!out.write(`This is everyday sentence number ${i}, for the benchmark.\tयह बेंचमार्क के लिए रोज़ का वाक्य संख्या ${i} है।\n`)) {
    await new Promise<void>((r) => out.once('drain', () => r()));
  }
}
await new Promise((r) => out.end(r));
const db = openDb(join(dir, 'bench.db'));
let peakRss = process.memoryUsage().rss;
const t0 = performance.now();
const r = await importDataset(db, { name: 'bench', files: [file], onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)) });
const s = (performance.now() - t0) / 1000;
console.log(`import: ${r.pairs.toLocaleString()} pairs (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB TSV) in ${s.toFixed(2)} s = ${Math.round(r.pairs / s).toLocaleString()} pairs/s; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
db.close();
rmSync(dir, { recursive: true, force: true });
