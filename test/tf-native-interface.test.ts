import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADDON_INTERFACE_VERSION, loadBlas } from '../src-main/core/tf/native-blas.ts';

/**
 * The addon's interface is written down once, in native/README.md's table; blas.c's export list, the
 * TypeScript interface (BlasAddon) and the version the bindings expect must follow it, or an export
 * added or renamed on one side only goes unnoticed until a kernel calls it.
 */
const source = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

/** The export names of the README's table (first column: `name(args)`, several per row). */
const documented = sorted(
  source('native/README.md')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1].matchAll(/`(\w+)\(/g)].map((m) => m[1])),
);

describe('native addon interface', () => {
  it("the README's table, blas.c's export list and BlasAddon name the same exports", () => {
    const exported = sorted([...source('native/blas.c').matchAll(/\{"(\w+)", NULL,/g)].map((m) => m[1]));
    const typed = sorted([...source('src-main/core/tf/blas-addon.ts').matchAll(/^ {2}(\w+)\??\(/gm)].map((m) => m[1]));
    expect(documented.length).toBeGreaterThan(15);
    expect(exported).toEqual(documented);
    expect(typed).toEqual(documented);
  });

  it('the version the bindings expect is the one native/addon.h builds', () => {
    const built = /#define ADDON_INTERFACE_VERSION (\d+)/.exec(source('native/addon.h'))?.[1];
    expect(Number(built)).toBe(ADDON_INTERFACE_VERSION);
  });

  it.runIf(loadBlas().addon)('the addon built here exports what the table lists', () => {
    expect(sorted(Object.getOwnPropertyNames(loadBlas().addon))).toEqual(documented); // not enumerable
  });
});
