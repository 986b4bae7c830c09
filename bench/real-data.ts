// The real-data recipe, end to end through the CLI as a researcher runs it: import iitb-sample + wikicrowd
// (~30k pairs) with ntrex128 as the validation split, train a preset for a fixed wall-clock budget (Ctrl+C at
// the deadline: the trainer saves a checkpoint and stops), then score the best checkpoint (by the preset's
// early_stopping_metric on ntrex128) on FLORES-200 devtest with sacreBLEU-exact BLEU and chrF, signatures
// printed. Prints the validation curve (minutes, step, valid chrF/BLEU) and the median tokens/s.
//
// Options: --minutes=60 --preset=real-data --set=key=value (repeatable) --db=PATH (default: a temp store)
//          --beam-size=5 --data=DIR (default ../shared/data)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const minutes = Number(arg('minutes', '60'));
const preset = arg('preset', 'real-data');
const sets = args.filter((a) => a.startsWith('--set=')).flatMap((a) => ['--set', a.slice(6)]);
const dataDir = resolve(arg('data', new URL('../../shared/data', import.meta.url).pathname));
const work = mkdtempSync(join(tmpdir(), 'real-data-'));
const db = resolve(arg('db', join(work, 'experiments.db')));
const cli = new URL('../bin/workbench.js', import.meta.url).pathname;

function workbench(...argv: string[]): string {
  const r = spawnSync(process.execPath, [cli, '--db', db, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`workbench ${argv.join(' ')} failed (${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

// ---- data: one TSV of the two training corpora (a pair with an empty side is skipped and reported)
const lines = (name: string) => readFileSync(join(dataDir, name), 'utf8').replace(/\n$/, '').split('\n');
const tsv = (en: string[], hi: string[]) =>
  en.map((e, i) => `${e.replace(/\t/g, ' ')}\t${hi[i].replace(/\t/g, ' ')}`).join('\n');
writeFileSync(
  join(work, 'train.tsv'),
  tsv([...lines('iitb-sample.en'), ...lines('wikicrowd.en')], [...lines('iitb-sample.hi'), ...lines('wikicrowd.hi')]) +
    '\n',
);
writeFileSync(join(work, 'valid.tsv'), tsv(lines('ntrex128.en'), lines('ntrex128.hi')) + '\n');
const datasets = workbench('dataset', 'list', '--json');
if (!datasets.includes('"real-data"')) {
  console.log(
    workbench(
      'dataset',
      'import',
      join(work, 'train.tsv'),
      '--valid',
      join(work, 'valid.tsv'),
      '--name',
      'real-data',
      '--skip-bad',
    ).trim(),
  );
}

// ---- train for the budget, then Ctrl+C (SIGINT): the trainer finishes its update and saves
console.log(
  `training preset ${preset} ${sets.filter((s) => s !== '--set').join(' ')} for ${minutes} min (store ${db})`,
);
const t0 = Date.now();
const train = spawn(
  process.execPath,
  [cli, '--db', db, 'train', '--dataset', 'real-data', '--preset', preset, '--set', 'split=files', ...sets, '--json'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let out = '';
train.stdout.on('data', (d: Buffer) => (out += d.toString()));
const deadline = setTimeout(() => train.kill('SIGINT'), minutes * 60_000);
const code: number | null = await new Promise((done) => train.on('exit', done));
clearTimeout(deadline);
const trainedMin = (Date.now() - t0) / 60_000;
const last = out.trim().split('\n').at(-1) ?? '';
const { runId, status } = JSON.parse(last) as { runId: number; status: string };
console.log(`run ${runId}: ${status} after ${trainedMin.toFixed(1)} min (exit ${code})`);

// ---- the curve, from the store
interface Point {
  step: number;
  wall_time: number;
  value: number;
}
const run = JSON.parse(workbench('runs', 'show', String(runId), '--json')) as {
  metrics: Record<string, Point[]>;
  config: { early_stopping_metric: string };
  startedAt: string;
};
const chrf = run.metrics['valid/chrf'] ?? [];
const bleu = run.metrics['valid/bleu'] ?? [];
const start = Date.parse(run.startedAt) / 1000;
console.log('\nminutes   step   valid chrF   valid BLEU   (ntrex128)');
for (const p of chrf) {
  const b = bleu.find((q) => q.step === p.step)?.value ?? NaN;
  console.log(
    `${((p.wall_time - start) / 60).toFixed(1).padStart(7)} ${String(p.step).padStart(6)} ` +
      `${p.value.toFixed(2).padStart(12)} ${b.toFixed(2).padStart(12)}`,
  );
}
const tps = run.metrics['train/tokens_per_s'] ?? [];
if (tps.length) {
  const sorted = tps.map((p) => p.value).sort((a, b) => a - b);
  console.log(`median target tokens/s: ${sorted[sorted.length >> 1].toFixed(0)}`);
}

// ---- FLORES-200 devtest with the best checkpoint
const beam = arg('beam-size', '5');
console.log(
  `\nFLORES-200 devtest (1012 sentences), best checkpoint by ${run.config.early_stopping_metric}, beam ${beam}:`,
);
console.log(
  workbench(
    'evaluate',
    '--run',
    String(runId),
    '--src',
    join(dataDir, 'flores200-devtest.en'),
    '--ref',
    join(dataDir, 'flores200-devtest.hi'),
    '--beam-size',
    beam,
  ).trim(),
);
