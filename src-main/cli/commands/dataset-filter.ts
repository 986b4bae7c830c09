import { readFileSync } from 'node:fs';
import { badInput } from '../../common/errors.ts';
import {
  FILTER_KINDS,
  FilterPipelineSchema,
  type FilterPipeline,
  type FilterPreviewDto,
  type FilterSpecInput,
} from '../../common/filters.ts';
import { applyFilters } from '../../core/data/filters/apply.ts';
import { previewFilters } from '../../core/data/filters/preview.ts';
import { getDataset } from '../../core/store/datasets.ts';
import { datasetTaskBar, ProgressBar } from '../progress.ts';
import { parseCommandArgs, requireInt, UsageError, type CliContext } from '../context.ts';

/**
 * `workbench dataset filter NAME`: a filter pipeline's preview (counts, a page
 * of the removed pairs with reasons), or with --apply a new dataset version
 * without the removed pairs (core/data/filters). The pipeline comes from a JSON
 * file (the schema in common/filters.ts) or from flags.
 */
export const FILTER_USAGE = `usage: workbench dataset filter NAME [--pipeline FILE.json | FILTER FLAGS]
                               [--apply [--label L]] [--offset N] [--limit N] [--json]

  Previews what a filter pipeline removes; --apply makes a new dataset version without those pairs
  (one undoable edit: workbench dataset undo NAME brings them back to the head).

  --pipeline FILE.json   a JSON list of filters, e.g. [{"kind":"script"},{"kind":"length_ratio","maxRatio":3}]
                         kinds: ${FILTER_KINDS.join(', ')}
  or flags (in this order in the pipeline):
  --script               English side ≥ 50% Latin letters, Hindi side ≥ 50% Devanagari
    --min-latin X --min-devanagari X    other shares (0–1; either one implies --script)
  --language             character-trigram language ID: English / Hindi, not Marathi, Nepali, French, ...
    --language-side source|target|both  --language-margin M
  --min-words N --max-words N           words per side
  --max-ratio R          longer side / shorter side in words (pairs from 4 words)
  --dedup                exact duplicates (one kept)
  --near-dedup           duplicates up to case, spacing and punctuation (one kept)
  --copy                 target copies source
  --numbers              the digits of the two sides differ
  --model-run ID --min-score S          a run's stored per-pair score (workbench dataset score-pairs)
`;

const OPTIONS = {
  pipeline: { type: 'string' },
  apply: { type: 'boolean' },
  label: { type: 'string' },
  offset: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  script: { type: 'boolean' },
  'min-latin': { type: 'string' },
  'min-devanagari': { type: 'string' },
  language: { type: 'boolean' },
  'language-side': { type: 'string' },
  'language-margin': { type: 'string' },
  'min-words': { type: 'string' },
  'max-words': { type: 'string' },
  'max-ratio': { type: 'string' },
  dedup: { type: 'boolean' },
  'near-dedup': { type: 'boolean' },
  copy: { type: 'boolean' },
  numbers: { type: 'boolean' },
  'model-run': { type: 'string' },
  'min-score': { type: 'string' },
} as const;

type Flags = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

function num(v: string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw badInput(`--${field} must be a number, got "${v}"`, { field });
  return n;
}

/** The pipeline the flags name; its thresholds are checked by the schema like a file's. */
function pipelineOfFlags(o: Flags): FilterSpecInput[] {
  const specs: FilterSpecInput[] = [];
  const minLatin = num(o['min-latin'], 'min-latin');
  const minDeva = num(o['min-devanagari'], 'min-devanagari');
  if (o.script || minLatin !== undefined || minDeva !== undefined)
    specs.push({ kind: 'script', minSourceLatin: minLatin, minTargetDevanagari: minDeva });
  if (o.language || o['language-side'] !== undefined || o['language-margin'] !== undefined)
    specs.push({
      kind: 'language',
      sides: o['language-side'] as 'source' | 'target' | 'both' | undefined,
      margin: num(o['language-margin'], 'language-margin'),
    });
  if (o['min-words'] !== undefined || o['max-words'] !== undefined)
    specs.push({
      kind: 'length',
      minTokens: o['min-words'] !== undefined ? requireInt(o['min-words'], 'min-words') : undefined,
      maxTokens: o['max-words'] !== undefined ? requireInt(o['max-words'], 'max-words') : undefined,
    });
  const maxRatio = num(o['max-ratio'], 'max-ratio');
  if (maxRatio !== undefined) specs.push({ kind: 'length_ratio', maxRatio });
  if (o.dedup) specs.push({ kind: 'duplicate' });
  if (o['near-dedup']) specs.push({ kind: 'near_duplicate' });
  if (o.copy) specs.push({ kind: 'copy' });
  if (o.numbers) specs.push({ kind: 'numbers' });
  if (o['model-run'] !== undefined || o['min-score'] !== undefined) {
    const minScore = num(o['min-score'], 'min-score');
    if (o['model-run'] === undefined || minScore === undefined)
      throw badInput('--model-run ID and --min-score S go together', { field: 'model-run' });
    specs.push({ kind: 'model_score', runId: requireInt(o['model-run'], 'model-run'), minScore });
  }
  return specs;
}

/** A pipeline file: JSON, validated like the contract's input; an error names the file and the filter's field. */
function readPipelineFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw badInput(`cannot read ${file}: ${(err as Error).message}`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badInput(`${file}: not JSON (${(err as Error).message})`, { file });
  }
}

function pipelineOf(o: Flags): FilterPipeline {
  const fromFlags = pipelineOfFlags(o);
  if (o.pipeline && fromFlags.length)
    throw badInput('give the filters either in --pipeline FILE.json or as flags, not both', { field: 'pipeline' });
  if (!o.pipeline && !fromFlags.length)
    throw new UsageError('dataset filter: no filters: give --pipeline FILE.json or filter flags', FILTER_USAGE);
  const raw = o.pipeline ? readPipelineFile(o.pipeline) : fromFlags;
  const parsed = FilterPipelineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || '(pipeline)';
    const where = o.pipeline ? `${o.pipeline}: ` : '';
    throw badInput(`${where}${field}: ${issue.message}`, { file: o.pipeline, field });
  }
  return parsed.data;
}

function printPreview(ctx: CliContext, name: string, p: FilterPreviewDto): void {
  ctx.print(`${name}: ${p.total} pairs: keep ${p.kept}, remove ${p.removed} (${p.ms} ms)`);
  for (const f of p.filters) {
    ctx.print(`  ${f.label.padEnd(56)} removes ${String(f.removed).padStart(7)}  (only this: ${f.removedOnlyByThis})`);
    if (f.notJudged?.pairs) ctx.print(`    ${f.notJudged.pairs} pair(s) ${f.notJudged.reason}`);
  }
  if (!p.sample.rows.length) return;
  ctx.print(`removed pairs ${p.sample.offset + 1}–${p.sample.offset + p.sample.rows.length}:`);
  for (const r of p.sample.rows) {
    ctx.print(`${String(r.pairId).padStart(8)}  ${r.reasons.map((x) => `${x.kind}: ${x.message}`).join('; ')}`);
    ctx.print(`          ${r.source}\t${r.target}`);
  }
}

export function filterCommand(args: string[], ctx: CliContext): void {
  const { values: o, positionals } = parseCommandArgs(args, OPTIONS, FILTER_USAGE);
  const [name] = positionals;
  if (!name) throw new UsageError('dataset filter: missing NAME', FILTER_USAGE);
  if (o.label !== undefined && !o.apply) throw badInput('--label names the version --apply makes', { field: 'label' });
  const pipeline = pipelineOf(o);
  const db = ctx.store();
  const ds = getDataset(db, name);
  if (o.apply) {
    const label = o.label ?? `filter: ${pipeline.map((f) => f.kind).join(', ')}`;
    const bar = new ProgressBar(ctx.isTTY && !o.json);
    const r = applyFilters(db, ds.id, pipeline, { label }, datasetTaskBar(bar));
    bar.done();
    if (o.json) return ctx.printJson({ dataset: ds.name, ...r });
    ctx.print(
      `${ds.name}: version ${r.versionNumber} "${r.label}": ${r.pairCount} pairs, ${r.removed} removed from the head` +
        `; undo with: workbench dataset undo ${ds.name}`,
    );
    return;
  }
  const bar = new ProgressBar(ctx.isTTY && !o.json);
  const p = previewFilters(
    db,
    ds.id,
    pipeline,
    {
      sampleOffset: o.offset ? requireInt(o.offset, 'offset') : 0,
      sampleLimit: o.limit ? requireInt(o.limit, 'limit') : o.json ? 50 : 20,
    },
    datasetTaskBar(bar), // a first preview measures every pair: seconds on 1M
  );
  bar.done();
  if (o.json) return ctx.printJson({ dataset: ds.name, pipeline, ...p });
  printPreview(ctx, ds.name, p);
}
