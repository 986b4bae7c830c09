import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../src-main/core/data/import.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { importErrorText } from '../src-renderer/src/lib/import-errors.ts';
import { plural } from '../src-renderer/src/lib/plural.ts';
import { markZeroWidth } from '../src-renderer/src/lib/zero-width.ts';

/** The datasets view's words and marks (issue 13 B6). */
describe('datasets view text', () => {
  it('one pair, 2,949 pairs', () => {
    expect(plural(1, 'pair')).toBe('1 pair');
    expect(plural(2949, 'pair')).toBe('2,949 pairs');
    expect(plural(0, 'line')).toBe('0 lines');
  });

  const shown = (s: string) =>
    markZeroWidth(s).map((x) => ('text' in x ? x.text : `[${x.mark}${x.kept ? ' kept' : ''}]`));

  it(
    'marks every zero-width character: an unwanted one in its ' +
      'place, a joiner inside a Devanagari cluster after its word',
    () => {
      expect(markZeroWidth('plain')).toEqual([{ text: 'plain' }]);
      expect(shown('a\u200Bb')).toEqual(['a', '[ZWSP]', 'b']);
      // क्‍ष with a ZWJ after the virama: the joiner stays in the cluster (it shapes it), the mark follows the word
      expect(shown('\u0915\u094D\u200D\u0937 है')).toEqual(['\u0915\u094D\u200D\u0937', '[ZWJ kept]', ' है']);
      expect(shown('\u0915\u094D\u200D\u0937')).toEqual(['\u0915\u094D\u200D\u0937', '[ZWJ kept]']);
      // a ZWNJ after a Latin letter, a BOM at the start: both unwanted
      expect(shown('\uFEFFok\u200C!')).toEqual(['[BOM]', 'ok', '[ZWNJ]', '!']);
    },
  );

  it('an import error names the file once and the checkbox, not the command-line flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-imperr-'));
    const file = join(dir, 'bad.tsv');
    writeFileSync(file, 'Hello\tनमस्ते\njust one column\n');
    const db = openDb(join(dir, 'experiments.db'));
    const err = await importDataset(db, { name: 'bad', files: [file], format: 'tsv' }).then(
      () => null,
      (e: Error) => e,
    );
    db.close();
    expect(err?.message).toMatch(/--skip-bad/);
    const shown = importErrorText(err?.message ?? '', [file]);
    expect(shown).not.toMatch(/--skip-bad/);
    expect(shown).toMatch(/tick “skip bad lines” under options/);
    expect(shown.split('bad.tsv').length - 1).toBe(1);
    // a message without the file gets it once, by its base name
    expect(importErrorText('cannot read', ['/home/u/corpus.tsv'])).toBe('corpus.tsv: cannot read');
    expect(
      importErrorText(
        'x.csv:1: CSV header must name the source and target columns (found: a, b); use --src-col/--tgt-col',
        ['x.csv'],
      ),
    ).toBe(
      'x.csv:1: CSV header must name the source and target columns (found: ' +
        'a, b); name them under options (CSV English column, CSV Hindi column)',
    );
  });
});
