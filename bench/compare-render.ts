// How fluid the compare view is on a big sweep (issue 14 #5): 27 runs (3 x 3 x 3 seeds, bench/lib/sweep-store.ts)
// with --points=N logged steps each (default 100000; train/loss, tokens/s and memory, so 8.1M points) in the real
// renderer in Chromium (browser mode). Prints, in ms: selection to drawn (27 runs, train/loss at full resolution,
// smoothed, decimated), an EMA weight change, seed groups drawn, the metric grid drawn (the charts in view: the
// others are drawn as they scroll in), scrolled to its last chart, a synced hover frame across the grid (mean of 20),
// a drag-zoom of every chart with the range fetched at full resolution. Beside each wall time: the page's
// main-thread busy time, this process's CPU time (the server's, mostly) and the bytes of the service's replies.
// Options: --points=N, --db=PATH (reuse a store made before), --profile=DIR (a Chrome CPU profile of the page per
// row, DIR/<row>.cpuprofile, and each row's five costliest functions by self time), --screenshots=DIR (the page
// after each timed row, DIR/<n>.png: what was measured is what a user sees).
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ensureRendererBuilt, rendererDir } from '../src-main/server/renderer-build.ts';
import { startServer } from '../src-main/server/server.ts';
import { launchChromium } from '../test/support/browser.ts';
import { makeSweepStore } from './lib/sweep-store.ts';

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const points = Number(option('points') ?? 100_000);
const dbPath = option('db') ?? join(mkdtempSync(join(tmpdir(), 'wb-bench-compare-')), 'experiments.db');

if (!existsSync(dbPath)) {
  const t0 = performance.now();
  await makeSweepStore(dbPath, { points });
  const seconds = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(`store: 27 runs x ${points.toLocaleString('en')} steps x 3 series in ${seconds} s`);
}
ensureRendererBuilt();
const server = await startServer({ dbPath, rendererDir });
const browser = await launchChromium();
const page: Page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
// the server runs in this process: while it reads 2.7M points, this client waits with it
page.setDefaultTimeout(600_000);

/** two animation frames: what was changed has been painted */
// (page code as strings: this file is compiled without the DOM's types)
const painted = () => page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
const footer = "document.querySelector('[data-testid=compare-footer]')?.textContent ?? ''";
const idle = "!document.querySelector('[data-testid=view-compare]')?.textContent?.includes('loading…')";
/** polls a page expression until it is true (waitForFunction would eval it, which the page's CSP forbids) */
async function until(expr: string) {
  while (!(await page.evaluate(expr))) await new Promise((r) => setTimeout(r, 50));
}
const profileDir = option('profile');
const shotsDir = option('screenshots');
if (shotsDir) mkdirSync(shotsDir, { recursive: true });
let shots = 0;
// the page's main-thread busy time (Chrome's TaskDuration) and this process's CPU time (the server and the
// bench's client) beside each wall time: on a shared machine the wall time grows with the load, these far less
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
// the bytes the page received over the service's WebSocket (its replies): load-free, unlike the times
await cdp.send('Network.enable');
let received = 0;
cdp.on('Network.webSocketFrameReceived', (e) => (received += e.response.payloadData.length));
if (profileDir) mkdirSync(profileDir, { recursive: true });
let rows = 0;
let mark = { page: 0, node: 0, received: 0 };
async function cpuNow() {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const task = metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  const own = process.cpuUsage();
  return { page: task * 1000, node: (own.user + own.system) / 1000, received };
}
console.log(
  `${''.padEnd(58)} ${'wall'.padStart(10)} ${'page CPU'.padStart(10)} ${'node CPU'.padStart(10)} ` +
    `${'received'.padStart(9)}`,
);
const ms = (v: number) => `${v.toFixed(0).padStart(7)} ms`;
async function row(what: string, wall: number, per = 1) {
  const now = await cpuNow();
  const [page, node] = [(now.page - mark.page) / per, (now.node - mark.node) / per];
  const kb = `${((now.received - mark.received) / per / 1024).toFixed(0)} kB`.padStart(9);
  console.log(`${what.padEnd(58)} ${ms(wall)} ${ms(page)} ${ms(node)} ${kb}`);
  mark = await cpuNow();
}

async function timed(what: string, act: () => Promise<unknown>, done: () => Promise<unknown>) {
  await profiled(async () => {
    mark = await cpuNow();
    const t0 = performance.now();
    await act();
    await done();
    await painted();
    await row(what, performance.now() - t0);
  });
  if (shotsDir) await page.screenshot({ path: join(shotsDir, `${++shots}.png`) });
}

/** with --profile: the page's CPU profile of what `f` does, saved, and its costliest functions printed */
async function profiled(f: () => Promise<void>) {
  if (profileDir) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
  await f();
  if (profileDir) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(join(profileDir, `${++rows}.cpuprofile`), JSON.stringify(profile));
    for (const [name, ms] of costliest(profile)) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${name}`);
  }
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples?: number[];
  timeDeltas?: number[];
}

/** The page's five costliest functions by self time in a CPU profile (idle and the profiler's own left out). */
function costliest(p: CpuProfile): Array<[string, number]> {
  const frameOf = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  (p.samples ?? []).forEach((id, i) => {
    const f = frameOf.get(id);
    if (!f || f.functionName === '(idle)' || f.functionName === '(program)') return;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (p.timeDeltas?.[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 5);
}

try {
  await page.goto(`${server.url}#/compare?metric=train/loss`);
  await page.locator('[data-testid=compare-pick]').nth(26).waitFor();
  const total = (27 * points).toLocaleString('en');
  await timed(
    `27 runs ticked → train/loss drawn (${total} points)`,
    () => page.click('[data-testid=compare-tick-shown]'),
    () => until(`(${footer}).includes('${total} points') && !(${footer}).includes(' 0 drawn') && ${idle}`),
  );
  await page.selectOption('[data-testid=compare-smoothing]', 'ema');
  await painted();
  await timed(
    'EMA weight changed (applied on release) → redrawn',
    () =>
      page.evaluate(`(() => {
        const el = document.querySelector('[data-testid=compare-weight]');
        el.value = '0.95';
        el.dispatchEvent(new Event('change', { bubbles: true }));
      })()`),
    () => until(`(${footer}).includes('EMA 0.950') && ${idle}`),
  );
  // Compare's own chart (a line a run, chart.js's tooltip): what a pointer move over it costs
  const main = await page.locator('[data-testid=compare-chart] canvas').boundingBox();
  if (!main) throw new Error('no compare chart');
  await profiled(async () => {
    mark = await cpuNow();
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      await page.mouse.move(main.x + main.width * (0.2 + 0.03 * i), main.y + main.height * 0.7);
      await painted();
    }
    await row("hover over Compare's chart, one move (mean of 20)", (performance.now() - t0) / 20, 20);
  });
  await page.mouse.move(0, 0);
  await timed(
    'seed groups → 9 means with bands drawn',
    () => page.selectOption('[data-testid=compare-group]', 'seed'),
    () => page.locator('[data-testid=compare-group-chart] canvas').waitFor(),
  );
  // a cell in view (or within a screen of it, where the grid draws ahead) holds a drawn chart
  const drawnInView = `(() => {
    const cells = [...document.querySelectorAll('[data-testid=metric-grid] .cell')];
    const near = cells.filter((c) => {
      const r = c.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    });
    return near.length > 0 && near.every((c) => c.querySelector('canvas')) && ${idle};
  })()`;
  await timed(
    'metric grid → every chart in view drawn',
    () => page.click('[data-testid=compare-tab-grid]'),
    () => until(drawnInView),
  );
  await timed(
    'scrolled to the last chart of the grid → drawn',
    () => page.locator('[data-testid=metric-grid] .cell').last().scrollIntoViewIfNeeded(),
    () => until(drawnInView),
  );
  const loss = page.locator('[data-testid="grid-chart-train/loss"] canvas');
  const box = await loss.boundingBox();
  if (!box) throw new Error('no train/loss chart in the grid');
  await profiled(async () => {
    mark = await cpuNow();
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      await page.mouse.move(box.x + box.width * (0.2 + 0.03 * i), box.y + box.height / 2);
      await painted();
    }
    await row('synced hover across the grid, one move (mean of 20)', (performance.now() - t0) / 20, 20);
  });
  // what the row above waits for besides the hover: two animation frames (at 60 Hz, 33 ms) and a round trip
  mark = await cpuNow();
  const t1 = performance.now();
  for (let i = 0; i < 20; i++) await painted();
  await row('  of which two painted frames alone (mean of 20)', (performance.now() - t1) / 20, 20);
  // latency in frames, which the load does not stretch: a pointer move dispatched in the page, then the animation
  // frames counted until the crosshair of another chart of the grid has moved (its DOM, painted in that frame)
  let frames = 0;
  for (let i = 0; i < 10; i++)
    frames += Number(
      await page.evaluate(`new Promise((resolve) => {
        const from = document.querySelector('[data-testid="grid-chart-train/loss"] canvas');
        const cross = () => document.querySelector('[data-testid="grid-chart-system/memory_mb"] .cross');
        const before = cross()?.style.transform;
        const r = from.getBoundingClientRect();
        const x = r.left + r.width * (0.25 + 0.05 * ${i});
        const move = { clientX: x, clientY: r.top + r.height / 2, bubbles: true };
        from.dispatchEvent(new PointerEvent('pointermove', move));
        let n = 0;
        const moved = () => cross()?.style.transform !== before;
        const tick = () => (++n, moved() || n > 10 ? resolve(n) : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      })`),
    );
  console.log(
    `${'  frames from a move to the marks of another chart (mean of 10)'.padEnd(58)} ${(frames / 10).toFixed(1)}`,
  );
  await timed(
    'drag-zoom → every chart of the grid redrawn',
    async () => {
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 3 });
      await page.mouse.up();
    },
    async () => {
      await page.locator('[data-testid="grid-chart-system/memory_mb"][data-range]').waitFor();
      await until(idle);
    },
  );
} finally {
  await browser.close();
  await server.close();
}
