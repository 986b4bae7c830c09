import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `workbench dataset show --regex` runs the user's pattern under the same time
 * limit as browser mode (core/data/regex-search.ts): a pattern that backtracks
 * for ever is refused with a clear error instead of hanging the command.
 */
function workbench(
  db: string,
  args: string[],
  killAfterMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/workbench.js', '--db', db, 'dataset', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    }),
  );
}

describe('workbench dataset show --regex', () => {
  it(
    'refuses a catastrophic pattern after its time limit, ' + 'naming the cause; a plain pattern still matches',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wb-cli-regex-'));
      const db = join(dir, 'x.db');
      // Long lines of words without a "#": (\S+\s?)* tries every way to split them.
      const line = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
      const file = join(dir, 'long.tsv');
      writeFileSync(file, Array.from({ length: 50 }, (_, i) => `${line} ${i}\tनमस्ते ${i}`).join('\n') + '\n');
      expect((await workbench(db, ['import', file, '--name', 'long'])).code).toBe(0);

      const bad = await workbench(db, ['show', 'long', '--search', '^(\\S+\\s?)*#$', '--regex'], 20_000);
      expect(bad.stderr).toMatch(/regular expression did not finish within 2 s/);
      expect(bad.code).not.toBe(0);
      expect(bad.code).not.toBeNull(); // it ended by itself, not killed by the test (before: it ran for ever)
      expect(bad.stdout).toBe('');

      const ok = await workbench(db, [
        'show',
        'long',
        '--search',
        'word3[0-9] 4[0-9]$',
        '--regex',
        '--side',
        'source',
        '--json',
      ]);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ total: 10 });
    },
    90_000,
  );
});
