import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { badInput } from '../../common/errors.ts';
import type { Db } from '../store/db.ts';
import { getDataset, iteratePairs } from '../store/datasets.ts';
import { csvField, DATA_FORMATS, type DataFormat } from './formats.ts';

/**
 * Writes a dataset in any import format; importing the result gives the same
 * pairs (tested for every format). moses writes FILE.en and FILE.hi.
 */
export async function exportDataset(db: Db, name: string, file: string, format: DataFormat): Promise<{ files: string[]; pairs: number }> {
  if (!DATA_FORMATS.includes(format)) throw badInput(`unknown format "${format}" (${DATA_FORMATS.join(', ')})`, { field: 'format' });
  const ds = getDataset(db, name);
  // Checked before any file is created, so a refused export leaves nothing half-written.
  if (format === 'tsv' || format === 'moses') {
    const bad = format === 'tsv' ? /[\t\n\r]/ : /[\n\r]/;
    for (const p of iteratePairs(db, ds.id)) {
      if (format === 'tsv' && (bad.test(p.source + p.target) || /[\n\r]/.test(p.meta))) {
        throw badInput(`pair ${p.id} contains a tab or newline, which TSV cannot hold; export as csv or jsonl`, { field: 'format' });
      }
      if (format === 'moses' && bad.test(p.source + p.target)) {
        throw badInput(`pair ${p.id} contains a newline, which line-aligned files cannot hold; export as csv or jsonl`, { field: 'format' });
      }
    }
  }
  const files = format === 'moses' ? [`${file}.en`, `${file}.hi`] : [file];
  const outs = files.map((f) => createWriteStream(f, { encoding: 'utf8' }));
  let n = 0;
  const write = async (out: WriteStream, s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  if (format === 'tsv') await write(outs[0], 'en\thi\tattribution\n');
  if (format === 'csv') await write(outs[0], 'src,tgt,meta\n');
  for (const p of iteratePairs(db, ds.id)) {
    n++;
    if (format === 'tsv') await write(outs[0], `${p.source}\t${p.target}${p.meta ? `\t${p.meta}` : ''}\n`);
    else if (format === 'csv') await write(outs[0], `${csvField(p.source)},${csvField(p.target)},${csvField(p.meta)}\n`);
    else if (format === 'jsonl') await write(outs[0], JSON.stringify(p.meta ? { src: p.source, tgt: p.target, meta: p.meta } : { src: p.source, tgt: p.target }) + '\n');
    else {
      await write(outs[0], p.source + '\n');
      await write(outs[1], p.target + '\n');
    }
  }
  await Promise.all(outs.map((o) => new Promise<void>((resolve, reject) => o.end((err?: Error | null) => (err ? reject(err) : resolve())))));
  return { files, pairs: n };
}
