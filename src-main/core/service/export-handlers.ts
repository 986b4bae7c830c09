import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { WorkbenchError } from '../../common/errors.ts';
import { exportDataset } from '../data/export.ts';
import { metricsCsv, metricsJson } from '../export/metrics-export.ts';
import { exportModel } from '../export/model-export.ts';
import { openDb } from '../store/db.ts';
import { getRun } from '../store/runs.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';

/** Files for the user: a dataset, a model, metrics (downloaded in a browser, saved through a dialog in Electron). */
type ExportChannel = 'datasets.export' | 'export.model' | 'export.metrics' | 'export.file';

export function exportHandlers(h: HandlerContext): HandlersOf<ExportChannel> {
  const { db } = h;
  return {
    'datasets.export': async ({ name, format, version }) => {
      const tmp = mkdtempSync(join(tmpdir(), 'wb-export-'));
      try {
        const stem = `${name}${version === undefined ? '' : `-v${version}`}`.replace(/[^\w.-]+/g, '_');
        const out = join(tmp, `${stem}.${format}`);
        // The export's read stays open while it awaits the file between chunks: on the service's own
        // connection every write meanwhile (an edit) would fail as "busy", so it reads on a connection of its
        // own (a store in memory has only the one).
        const reader = h.dbPath === ':memory:' ? db : openDb(h.dbPath, { readonly: true });
        try {
          await exportDataset(reader, name, out, format, { version });
        } finally {
          if (reader !== db) reader.close();
        }
        return await h.file(
          basename(out),
          format === 'jsonl' ? 'application/x-ndjson' : `text/${format === 'tsv' ? 'tab-separated-values' : 'csv'}`,
          readFileSync(out),
        );
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
    'export.model': async ({ runId, checkpoint, format }) => {
      if (format === 'folder') {
        if (!h.chooseFolder)
          throw new WorkbenchError(
            'unsupported',
            'a folder export needs the desktop app (a browser can ' +
              'only download): export the zip, it holds the same files',
            { field: 'format' },
          );
        const parent = await h.chooseFolder('Export the model into…');
        const run = getRun(db, runId);
        if (!parent) return { fileName: '', mime: 'inode/directory', base64: '' };
        const r = exportModel(db, runId, join(parent, `${run.name.replace(/[^\w.-]+/g, '_')}-model`), checkpoint);
        return { fileName: basename(r.path), mime: 'inode/directory', base64: '', savedTo: r.path };
      }
      const tmp = mkdtempSync(join(tmpdir(), 'wb-model-'));
      try {
        const run = getRun(db, runId);
        const out = join(tmp, `${run.name.replace(/[^\w.-]+/g, '_')}-model.zip`);
        exportModel(db, runId, out, checkpoint);
        return await h.file(basename(out), 'application/zip', readFileSync(out));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
    'export.metrics': ({ runIds, format }) =>
      h.file(
        `metrics-${runIds.join('-')}.${format}`,
        format === 'csv' ? 'text/csv' : 'application/json',
        format === 'csv' ? metricsCsv(db, runIds) : metricsJson(db, runIds),
      ),
    'export.file': ({ fileName, mime, base64 }) => h.file(fileName, mime, Buffer.from(base64, 'base64')),
  };
}
