import { describe, expect, it } from 'vitest';
import { outcomeOfUnrecordedExit, utilityProcessExit } from '../src-main/core/runs/trainer-exit.ts';

/** How a trainer process that ended without recording its end becomes a run status, under Node and Electron. */
describe('a trainer that ended without recording its end', () => {
  it('killed from outside (kill -9, the OOM killer, SIGTERM before its handler): interrupted and resumable', () => {
    for (const exit of [
      { code: null, signal: 'SIGKILL' as const, stderr: '' },
      { code: 137, signal: null, stderr: '' }, // 128 + 9, as a shell wrapper reports it
      { code: null, signal: 'SIGTERM' as const, stderr: '' },
    ]) {
      const o = outcomeOfUnrecordedExit(exit, 7);
      expect(o.status).toBe('interrupted');
      expect(o.reason).toContain('workbench runs resume 7');
    }
  });

  it('a crash or an error exit: failed with what it printed', () => {
    expect(outcomeOfUnrecordedExit({ code: 70, signal: null, stderr: 'x\ninjected fault at step 5\n' }, 7)).toEqual({
      status: 'failed',
      reason: 'x | injected fault at step 5',
    });
    expect(outcomeOfUnrecordedExit({ code: null, signal: 'SIGSEGV', stderr: '' }, 7)).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('SIGSEGV'),
    });
    expect(outcomeOfUnrecordedExit({ code: 0, signal: null, stderr: '' }, 7)).toMatchObject({ status: 'failed' });
  });

  it('reasons do not repeat the status ("run 7 interrupted: interrupted: …")', () => {
    for (const exit of [
      { code: null, signal: 'SIGKILL' as const, stderr: '' },
      { code: 3, signal: null, stderr: '' },
    ]) {
      expect(outcomeOfUnrecordedExit(exit, 7).reason).not.toMatch(/^(interrupted|failed)\b/);
    }
  });

  it("Electron's utilityProcess exit number maps to the same code/signal a Node child reports", () => {
    // POSIX: a killed or crashed child is reported by its raw wait status (the signal number), a
    // process.exit(n) by n.
    expect(utilityProcessExit(9, 'linux')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(utilityProcessExit(15, 'darwin')).toEqual({ code: null, signal: 'SIGTERM' });
    expect(utilityProcessExit(139, 'linux')).toEqual({ code: null, signal: 'SIGSEGV' }); // core dumped
    expect(utilityProcessExit(1, 'linux')).toEqual({ code: 1, signal: null });
    expect(utilityProcessExit(70, 'linux')).toEqual({ code: 70, signal: null });
    expect(utilityProcessExit(0, 'linux')).toEqual({ code: 0, signal: null });
    expect(utilityProcessExit(9, 'win32')).toEqual({ code: 9, signal: null });
    // So kill -9 of an Electron trainer leaves the run interrupted, as under Node.
    expect(outcomeOfUnrecordedExit({ ...utilityProcessExit(9, 'linux'), stderr: '' }, 3).status).toBe('interrupted');
  });
});
