import { badInput } from '../../common/errors.ts';
import type { Db } from '../store/db.ts';
import { getDataset, iteratePairs } from '../store/datasets.ts';
import { getVersionByNumber, iterateVersionPairs } from '../store/dataset-versions.ts';
import { writeTextFilesAtomic } from '../export/atomic-file.ts';
import { exportTarget } from '../export/export-target.ts';
import { csvField, DATA_FORMATS, type DataFormat } from './formats.ts';

/**
 * Writes a dataset in any import format; importing the result gives the same
 * pairs (tested for every format). moses writes FILE.en and FILE.hi. `version`: that dataset version's pairs. A file
 * appears complete or not at all (see export/atomic-file.ts).
 */
export async function exportDataset(
  db: Db,
  name: string,
  file: string,
  format: DataFormat,
  opts: { version?: number } = {},
): Promise<{ files: string[]; pairs: number }> {
  if (!DATA_FORMATS.includes(format))
    throw badInput(`unknown format "${format}" (${DATA_FORMATS.join(', ')})`, { field: 'format' });
  const ds = getDataset(db, name);
  // A version's content as it was made (core/data/versions.ts), or the head as it is now.
  const version = opts.version === undefined ? undefined : getVersionByNumber(db, ds.id, opts.version, ds.name);
  const pairs = () => (version ? iterateVersionPairs(db, version.id) : iteratePairs(db, ds.id));
  const files = format === 'moses' ? [`${file}.en`, `${file}.hi`] : [file];
  // Never the store or a run folder; written beside the target and renamed when complete.
  const targets = files.map((f) => exportTarget(db, f));
  // Checked before any file is created, so a refused export leaves nothing half-written.
  if (format === 'tsv' || format === 'moses') {
    const bad = format === 'tsv' ? /[\t\n\r]/ : /[\n\r]/;
    for (const p of pairs()) {
      if (format === 'tsv' && (bad.test(p.source + p.target) || /[\n\r]/.test(p.meta))) {
        throw badInput(`pair ${p.id} contains a tab or newline, which TSV cannot hold; export as csv or jsonl`, {
          field: 'format',
        });
      }
      if (format === 'moses' && bad.test(p.source + p.target)) {
        throw badInput(
          `pair ${p.id} contains a newline, which line-aligned files cannot hold; export as csv or jsonl`,
          { field: 'format' },
        );
      }
    }
  }
  let n = 0;
  await writeTextFilesAtomic(targets, async ([out, hi]) => {
    if (format === 'tsv') await out.write('en\thi\tattribution\n');
    if (format === 'csv') await out.write('src,tgt,meta\n');
    for (const p of pairs()) {
      n++;
      if (format === 'tsv') await out.write(`${p.source}\t${p.target}${p.meta ? `\t${p.meta}` : ''}\n`);
      else if (format === 'csv') await out.write(`${csvField(p.source)},${csvField(p.target)},${csvField(p.meta)}\n`);
      else if (format === 'jsonl')
        await out.write(
          JSON.stringify(p.meta ? { src: p.source, tgt: p.target, meta: p.meta } : { src: p.source, tgt: p.target }) +
            '\n',
        );
      else {
        await out.write(p.source + '\n');
        await hi.write(p.target + '\n');
      }
    }
  });
  return { files, pairs: n };
}
