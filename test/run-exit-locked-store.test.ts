import { describe, expect, it } from 'vitest';
import { sleep, startTrainingUnderLock } from './support/locked-store-training.ts';

/**
 * The launcher's last word on a run: when its trainer dies without recording an
 * end, the CLI (or the service) records it. That write must wait for a store
 * whose lock another writer holds past the busy timeout, not crash the CLI with
 * "database is locked" and leave the run 'running'.
 */
describe('a trainer that dies while another writer holds the store', () => {
  it('its CLI waits for the lock, records the run interrupted and exits normally', async () => {
    const t = await startTrainingUnderLock(['max_epochs=500', 'hidden_size=16', 'embedding_dim=8']);
    const { locker, run } = t;
    expect(t.exited()).toBe(false);
    const trainerPid = run()?.pid as number;

    locker.exec('BEGIN IMMEDIATE');
    process.kill(trainerPid, 'SIGKILL');
    // Held for 1.5 s, well past the CLI's 200 ms busy timeout (and its sync retries).
    await sleep(1500);
    const aliveWhileLocked = !t.exited();
    locker.exec('COMMIT');

    expect(await t.exit).toBe(1); // an interrupted run: not a success, but not a crash either
    expect(t.stderr()).not.toContain('locked');
    expect(aliveWhileLocked).toBe(true);
    expect(JSON.parse(t.stdout().trim().split('\n').at(-1) as string)).toMatchObject({
      runId: 1,
      status: 'interrupted',
    });
    expect(run()).toMatchObject({ status: 'interrupted', pid: null, error: expect.stringContaining('SIGKILL') });
  }, 60_000);
});
