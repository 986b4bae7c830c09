import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { badInput } from '../../common/errors.ts';
import { importModel } from '../export/model-export.ts';
import { corpusBleu } from '../metrics/bleu.ts';
import { corpusChrf } from '../metrics/chrf.ts';
import { getRun } from '../store/runs.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';
import { toSummary } from './run-dto.ts';

/**
 * What the CLI's `import model` and `score` do, for the app: an uploaded model export
 * (.zip) registered as an imported run (staged and checked as untrusted by importModel),
 * and sacreBLEU-exact BLEU and chrF of uploaded texts, one segment a line.
 */
type ModelScoreChannel = 'models.import' | 'metrics.score';

export function modelScoreHandlers(h: HandlerContext): HandlersOf<ModelScoreChannel> {
  const { db } = h;
  return {
    'models.import': ({ fileName, base64, name }) => {
      if (!fileName.toLowerCase().endsWith('.zip')) {
        const message = `${fileName}: upload the .zip that "Export model" (or workbench export model) writes`;
        throw badInput(message, { field: 'fileName' });
      }
      const tmp = mkdtempSync(join(tmpdir(), 'wb-upload-'));
      try {
        // Written under a name of ours: the user's file name only labels the run.
        const path = join(tmp, 'model.zip');
        writeFileSync(path, Buffer.from(base64, 'base64'));
        const { runId } = importModel(db, path, name ?? `imported ${fileName.replace(/\.zip$/i, '')}`);
        return toSummary(db, getRun(db, runId));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
    'metrics.score': ({ hypotheses, references, tokenize, lowercase }) => {
      const hyps = segments(hypotheses);
      const refs = segments(references);
      if (hyps.length !== refs.length) {
        const message = `the translations have ${hyps.length} lines, the references ${refs.length}: one segment a line`;
        throw badInput(message, { field: 'references' });
      }
      const bleu = corpusBleu(hyps, [refs], { tokenize, lowercase });
      const chrf = corpusChrf(hyps, [refs], { lowercase });
      const signatures = { bleuSignature: bleu.signature, chrfSignature: chrf.signature };
      return { sentences: hyps.length, bleu: bleu.score, chrf: chrf.score, ...signatures };
    },
  };
}

/** One segment a line, as `workbench score` reads a file: no BOM, CRLF or LF, nothing after a final newline. */
function segments(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
