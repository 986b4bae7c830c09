import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { WorkbenchEvent } from '../src-main/common/contract.ts';
import { isProcessAlive } from '../src-main/core/process-alive.ts';
import { workerEntry } from '../src-main/core/worker-entries.ts';
import { openDesktopCore } from '../src-main/electron/desktop-core.ts';
import type { UtilityChild, UtilityFork } from '../src-main/electron/utility-workers.ts';

/**
 * The Electron shell's core without Electron (its binary cannot run here): the
 * service with training AND decoding in "utilityProcesses", closed on quit, and
 * the worker entries found wherever the bundler put the code that looks for them.
 */
const tmp = () => mkdtempSync(join(tmpdir(), 'wb-desktop-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A stand-in for utilityProcess.fork: a Node child, with utilityProcess's shape (exit: one number, the raw status when
 * killed).
 */
function fakeUtilityFork(forked: string[]): UtilityFork {
  return (file, args) => {
    forked.push(file);
    const kind = file.includes('inference') ? 'inference' : 'train';
    const child = fork(file, args, {
      execArgv: workerEntry(kind).execArgv,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const utility: UtilityChild = {
      pid: child.pid,
      stderr: child.stderr,
      postMessage: (m) => void (child.connected && child.send(m as object)),
      kill: () => child.kill(),
      on: (event: 'message' | 'exit', cb: (x: never) => void) =>
        event === 'message'
          ? child.on('message', cb as (m: unknown) => void)
          : child.on('exit', (code, signal) =>
              (cb as (n: number) => void)(code ?? constants.signals[signal as NodeJS.Signals]),
            ),
    };
    return utility;
  };
}

describe('worker entries', () => {
  it('a built app finds both entries in out/main, from out/main/index.js and from a chunk in out/main/chunks', () => {
    const out = join(tmp(), 'out', 'main');
    mkdirSync(join(out, 'chunks'), { recursive: true });
    for (const f of ['train-worker.js', 'inference-worker.js']) writeFileSync(join(out, f), '');
    for (const from of [join(out, 'index.js'), join(out, 'chunks', 'service-abc123.js')]) {
      const url = pathToFileURL(from).href;
      expect(workerEntry('train', url)).toEqual({ file: join(out, 'train-worker.js'), execArgv: [] });
      expect(workerEntry('inference', url)).toEqual({ file: join(out, 'inference-worker.js'), execArgv: [] });
    }
  });

  it('a build without the entry is refused by name, not run from sources a packaged app lacks', () => {
    const chunks = join(tmp(), 'out', 'main', 'chunks');
    mkdirSync(chunks, { recursive: true });
    expect(() => workerEntry('train', pathToFileURL(join(chunks, 'service.js')).href)).toThrow(
      /training process's entry is missing.*train-worker\.js.*npm run build/,
    );
  });

  it('from source: the .ts entries, run through tsx', () => {
    const t = workerEntry('train');
    expect(t.file).toMatch(/src-main\/core\/train\/worker-entry\.ts$/);
    expect(t.execArgv).toEqual(['--import', expect.stringContaining('tsx')]);
    expect(workerEntry('inference').file).toMatch(/src-main\/core\/inference\/worker-entry\.ts$/);
  });
});

describe('the desktop core', () => {
  it('trains and translates in utilityProcesses, and closing it (quit) stops the inference process', async () => {
    const dir = tmp();
    const forked: string[] = [];
    const events: WorkbenchEvent[] = [];
    const core = openDesktopCore({
      dbPath: join(dir, 'x.db'),
      fork: fakeUtilityFork(forked),
      emit: (e) => events.push(e),
    });
    const run = (await core.service.dispatch('runs.launch', {
      preset: 'tutorial',
      config: { dataset: 'builtin:tutorial', max_epochs: 3, hidden_size: 16, embedding_dim: 8 },
    })) as { id: number };
    const deadline = Date.now() + 60_000;
    while (!events.some((e) => e.type === 'run.status') && Date.now() < deadline) await sleep(50);
    expect(events.find((e) => e.type === 'run.status')).toEqual({
      type: 'run.status',
      runId: run.id,
      status: 'completed',
    });

    const [t] = (await core.service.dispatch('playground.translate', { runId: run.id, texts: ['hello'] })) as Array<{
      hypotheses: unknown[];
    }>;
    expect(t.hypotheses.length).toBeGreaterThan(0);
    // Both through the shell's fork: before, decoding ran in a plain Node child the shell did not start.
    expect(forked).toEqual([workerEntry('train').file, workerEntry('inference').file]);

    const inferencePid = (core.service as unknown as { inference: { pid?: number } }).inference.pid as number;
    expect(isProcessAlive(inferencePid)).toBe(true);
    core.close();
    core.close(); // a second quit event is harmless
    while (isProcessAlive(inferencePid) && Date.now() < deadline) await sleep(50);
    expect(isProcessAlive(inferencePid)).toBe(false);
    await expect(core.service.dispatch('runs.list', {})).rejects.toThrow(/not open/);
  }, 90_000);
});
