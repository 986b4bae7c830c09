// A long import next to a writer that must not wait long (issue 10 #1): imports 2M pairs
// (--pairs=N) while a worker thread writes a metric-sized row every 50 ms on its own
// connection, as a trainer does, with the default busy timeout. Prints the import's time and
// the writer's waits: the longest is the longest the import ever held the write lock (chunks,
// publish). Before staged imports, one transaction held it for the whole file and the writer
// failed with "database is locked" after the 10 s busy timeout.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { importDataset } from '../src-main/core/data/import.ts';
import { openDb } from '../src-main/core/store/db.ts';

const n = Number(process.argv.find((a) => a.startsWith('--pairs='))?.slice(8) ?? 2_000_000);
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-import-lock-'));
const file = join(dir, 'big.tsv');
const out = createWriteStream(file);
for (let c = 0; c < n; c += 10_000) {
  let chunk = '';
  for (let i = c; i < Math.min(n, c + 10_000); i++)
    chunk +=
      `This is everyday sentence number ` +
      `${i}, for the benchmark.\tयह ` +
      `बेंचमार्क के लिए रोज़ का ` +
      `वाक्य संख्या ${i} है।\n`;
  if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
}
await new Promise((r) => out.end(r));
const dbPath = join(dir, 'bench.db');
const db = openDb(dbPath);
db.exec('CREATE TABLE bench_writes (at REAL NOT NULL, value REAL NOT NULL)');

// The writer: plain JS in a thread, so its waits on the lock do not stall the import's event loop.
const writer = new Worker(
  `
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.sqlite);
  const db = new Database(workerData.dbPath);
  db.pragma('busy_timeout = 10000');
  const insert = db.prepare('INSERT INTO bench_writes (at, value) VALUES (?, ?)');
  const waits = [];
  let failures = 0;
  const timer = setInterval(() => {
    const t0 = performance.now();
    try { insert.run(Date.now() / 1000, Math.random()); } catch (err) { failures++; }
    waits.push(performance.now() - t0);
  }, 50);
  parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.postMessage({ waits, failures }); });
  `,
  { eval: true, workerData: { dbPath, sqlite: createRequire(import.meta.url).resolve('better-sqlite3') } },
);
await new Promise((r) => setTimeout(r, 200));
const t0 = performance.now();
const r = await importDataset(db, { name: 'bench', files: [file] });
const s = (performance.now() - t0) / 1000;
writer.postMessage('stop');
const { waits, failures } = await new Promise<{ waits: number[]; failures: number }>((res) =>
  writer.once('message', res),
);
await writer.terminate();
waits.sort((a, b) => a - b);
const q = (p: number) => waits[Math.min(waits.length - 1, Math.floor(p * waits.length))].toFixed(1);
console.log(
  `import: ${r.pairs.toLocaleString()} pairs in ${s.toFixed(1)} s (load ` +
    `average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
);
console.log(
  `concurrent writer: ${waits.length} writes, ${failures} failed; ` +
    `wait median ${q(0.5)} ms, p99 ${q(0.99)} ms, longest ${q(1)} ms`,
);
db.close();
rmSync(dir, { recursive: true, force: true });
if (failures > 0) process.exitCode = 1;
