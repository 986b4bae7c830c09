import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { badInput, WorkbenchError } from '../../common/errors.ts';
import { getDatasetByName } from '../data/builtin.ts';
import { importDataset } from '../data/import.ts';
import { openDb } from '../store/db.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';

/**
 * datasets.import: a path (Electron) or uploaded text (browser mode), imported off the UI's
 * transactions with progress events; jobs.cancel stops it.
 */

export function datasetImportHandler(h: HandlerContext): HandlersOf<'datasets.import'> {
  const { db } = h;
  return {
    'datasets.import': async ({
      name,
      path,
      paths,
      fileName,
      content,
      uploads,
      format,
      srcCol,
      tgtCol,
      skipBad,
      jobId,
    }) => {
      // A browser cannot name files on the server: refused before any file is looked at, with one
      // answer for every path, so the refusal says nothing about what exists there.
      if (h.door === 'browser' && (path !== undefined || paths !== undefined)) {
        throw new WorkbenchError(
          'unsupported',
          'a browser imports uploaded files only, not paths on the ' +
            'server: upload the file (fileName and content, or uploads)',
          { field: path !== undefined ? 'path' : 'paths' },
        );
      }
      const given = paths ?? (path ? [path] : null);
      const texts = uploads ?? (content !== undefined ? [{ fileName: fileName ?? 'upload.tsv', content }] : null);
      if (name.startsWith('builtin:') && !given && !texts) {
        const d = await getDatasetByName(db, name);
        return { datasetId: d.id, name: d.name, pairs: d.pairCount, skipped: [], seconds: 0 };
      }
      let files = given;
      let tmp: string | null = null;
      if (!files) {
        if (!texts) throw badInput('give a path or the file content', { field: 'content' });
        const dir = mkdtempSync(join(tmpdir(), 'wb-upload-'));
        tmp = dir;
        // Uploaded names keep their extension (format detection, X.en + X.hi pairing) but not their folders.
        files = texts.map((t, i) => {
          mkdirSync(join(dir, String(i)));
          const file = join(dir, String(i), basename(t.fileName).replace(/[^\w.-]+/g, '_') || 'upload');
          writeFileSync(file, t.content);
          return file;
        });
      }
      const abort = new AbortController();
      h.jobs.set(jobId, abort);
      // An import commits a few thousand pairs per short transaction and publishes the dataset at the end,
      // so the UI's reads and writes go on meanwhile (never seeing the staged pairs).
      const own = h.dbPath === ':memory:' ? db : openDb(h.dbPath);
      try {
        return await importDataset(own, {
          name,
          files,
          format,
          srcCol,
          tgtCol,
          skipBad,
          signal: abort.signal,
          onProgress: (p) =>
            h.emit({
              type: 'job.progress',
              jobId,
              rows: p.rows,
              fraction: p.totalBytes ? p.bytes / p.totalBytes : null,
              rowsPerSecond: p.rowsPerSecond,
              etaSeconds: p.etaSeconds,
            }),
        });
      } catch (err) {
        // An uploaded file's error names the user's file, not our temporary copy of it.
        if (!tmp || !texts || !(err instanceof WorkbenchError)) throw err;
        let message = err.message;
        let file = err.where.file;
        files.forEach((f, i) => {
          message = message.replaceAll(f, texts[i].fileName);
          if (file === f) file = texts[i].fileName;
        });
        throw new WorkbenchError(err.code, message, { ...err.where, ...(file ? { file } : {}) });
      } finally {
        if (own !== db) own.close();
        h.jobs.delete(jobId);
        if (tmp) rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
}
