import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitBenchArgs } from '../bench/lib/split-args.js';
import { projectRoot } from '../src-main/server/renderer-build.ts';

/** `npm run bench -- decode --run 3` dropped the 3 (it was taken for a bench name). */
const BENCHES = ['decode', 'train', 'import'];

describe('bench arguments', () => {
  it('keeps an option value with its option', () => {
    expect(splitBenchArgs(['decode', '--run', '3'], BENCHES)).toEqual({
      names: ['decode'],
      passed: ['--run', '3'],
      unknown: [],
    });
  });

  it('takes several benches, options in either form, and flags before a bench name', () => {
    expect(
      splitBenchArgs(['train', 'import', '--pairs=10', '--quick', 'decode', '--backend', 'wasm'], BENCHES),
    ).toEqual({
      names: ['train', 'import', 'decode'],
      passed: ['--pairs=10', '--quick', '--backend', 'wasm'],
      unknown: [],
    });
  });

  it('a word that is neither a bench nor an option value is reported', () => {
    expect(splitBenchArgs(['decod'], BENCHES).unknown).toEqual(['decod']);
    expect(splitBenchArgs(['--pairs=3', 'tutorial'], BENCHES).unknown).toEqual(['tutorial']);
  });

  it(
    'bench/run.js hands an option and its value to the bench: decode ' +
      'gets --run 3 (and fails fast: no run 3 in an empty store)',
    () => {
      const db = join(mkdtempSync(join(tmpdir(), 'wb-bench-args-')), 'x.db');
      const r = spawnSync(
        process.execPath,
        [join(projectRoot, 'bench', 'run.js'), 'decode', '--db', db, '--run', '3'],
        {
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(r.stderr).not.toContain('unknown bench');
      expect(r.stdout).toContain('== bench/decode.ts');
      expect(r.stderr).toContain('run 3 not found');
      expect(r.status).toBe(1);
    },
  );
});
