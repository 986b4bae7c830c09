import { badInput } from '../../common/errors.ts';
import { getDatasetByName } from '../../core/data/builtin.ts';
import { exportDataset } from '../../core/data/export.ts';
import { FINDING_KINDS, validateDataset, type FindingKind } from '../../core/data/findings.ts';
import { DATA_FORMATS, type DataFormat } from '../../core/data/formats.ts';
import { importDataset } from '../../core/data/import.ts';
import { applyFixes } from '../../core/data/fixes.ts';
import { editHistory, editPairs, redo, tagPairs, undo } from '../../core/data/pairs.ts';
import { searchPairs } from '../../core/data/regex-search.ts';
import { createSplit, listSplits } from '../../core/data/splits.ts';
import { datasetStats } from '../../core/data/stats.ts';
import { deleteDataset, getDataset, listDatasets } from '../../core/store/datasets.ts';
import { CARTOGRAPHY_REGIONS, MODEL_SORT_KEYS } from '../../common/model-stats.ts';
import { parseCommandArgs, requireInt, UsageError, type CliContext, type Command } from '../context.ts';
import { formatEta, ProgressBar } from '../progress.ts';

const USAGE = `usage: workbench dataset <subcommand> [options]

  import FILE [FILE2] --name NAME [--format tsv|moses|csv|jsonl] [--skip-bad]
                      [--src-col C --tgt-col C]     import (builtin:tutorial, builtin:sample need no file)
                      [--valid F] [--test F] [--split-name S]  (moses: each twice)
                                                    FILE is then the train part; a split records the parts
  list [--json]                                     datasets with pair counts
  show NAME [--search S] [--regex] [--side source|target|both] [--finding KIND] [--tag T]
            [--sort ord|source|target|updated|length] [--desc] [--offset N] [--limit N] [--json]
            [--run ID --sort confidence|variability|correctness|model_score] [--run ID --region R]
                                                    by a run's data map (cartography) or pair scores
  score-pairs NAME --run ID [--checkpoint C] [--json]  forced-decoding score of every pair, stored
  search-ngram NAME "WORDS" [--side source|target|both] [--offset N] [--limit N] [--json]
                                                    the pairs holding WORDS as a phrase (full-text index)
  stats NAME [--json]                               pairs, vocabulary sizes, lengths
  validate NAME [--kind KIND] [--json]              findings: ${FINDING_KINDS.join(', ')}
  export NAME FILE [--format tsv|moses|csv|jsonl] [--version N]   (moses writes FILE.en and FILE.hi)
  versions NAME [--json]                            the dataset's versions and the runs that trained on each
  diff NAME --from N --to M [--json]                pairs added, removed, changed between two versions
  split NAME [--split-name S] [--seed N] [--valid-ratio R] [--test-ratio R] [--json]
  edit NAME --pair ID [--source TEXT] [--target TEXT] [--tags T]
  add NAME --source TEXT --target TEXT
  tag NAME --pair ID ... [--add T ...] [--remove T ...]   bulk tag (one undoable edit)
  delete NAME [--pair ID ...]                       delete pairs, or the whole dataset
  fix NAME [--kind KIND] [--pair ID ...]            apply the safe one-click fixes (undoable)
  undo NAME | redo NAME                             undo/redo the last pair edit
  history NAME [--json]                             the edit history (newest first)
  filter NAME [--pipeline FILE.json | --script --max-ratio R --dedup ...] [--apply [--label L]] [--json]
                                                    preview a filter pipeline; --apply: a new version without
                                                    the removed pairs (options: dataset filter NAME alone)
`;

const OPTIONS = {
  name: { type: 'string' },
  format: { type: 'string' },
  'skip-bad': { type: 'boolean' },
  'src-col': { type: 'string' },
  'tgt-col': { type: 'string' },
  json: { type: 'boolean' },
  search: { type: 'string' },
  regex: { type: 'boolean' },
  finding: { type: 'string' },
  kind: { type: 'string' },
  offset: { type: 'string' },
  limit: { type: 'string' },
  'split-name': { type: 'string' },
  seed: { type: 'string' },
  'valid-ratio': { type: 'string' },
  'test-ratio': { type: 'string' },
  pair: { type: 'string', multiple: true },
  source: { type: 'string' },
  target: { type: 'string' },
  tags: { type: 'string' },
  tag: { type: 'string' },
  side: { type: 'string' },
  sort: { type: 'string' },
  desc: { type: 'boolean' },
  add: { type: 'string', multiple: true },
  remove: { type: 'string', multiple: true },
  valid: { type: 'string', multiple: true },
  test: { type: 'string', multiple: true },
  version: { type: 'string' },
  run: { type: 'string' },
  region: { type: 'string' },
} as const;

const SIDES = ['source', 'target', 'both'] as const;
const SORTS = ['ord', 'source', 'target', 'updated', 'length', ...MODEL_SORT_KEYS] as const;
function oneOf<T extends string>(v: string | undefined, allowed: readonly T[], field: string): T | undefined {
  if (v !== undefined && !allowed.includes(v as T))
    throw badInput(`--${field} must be one of ${allowed.join(', ')}, got "${v}"`, { field });
  return v as T | undefined;
}

export const command: Command = {
  summary: 'import, inspect, validate, split, edit and export parallel datasets',
  usage: USAGE,
  async run(args, ctx) {
    // Versions and their diff: dataset-versions.ts.
    if (args[0] === 'versions') return (await import('./dataset-versions.ts')).versionsCommand(args.slice(1), ctx);
    if (args[0] === 'diff') return (await import('./dataset-versions.ts')).diffCommand(args.slice(1), ctx);
    // Its own flags (the filters' thresholds): dataset-filter.ts.
    if (args[0] === 'filter') return (await import('./dataset-filter.ts')).filterCommand(args.slice(1), ctx);
    if (args[0] === 'search-ngram')
      return (await import('./dataset-search-ngram.ts')).searchNgramCommand(args.slice(1), ctx);
    // Its own flags (--checkpoint, --backend): dataset-score-pairs.ts.
    if (args[0] === 'score-pairs')
      return (await import('./dataset-score-pairs.ts')).scorePairsCommand(args.slice(1), ctx);
    const { values: o, positionals } = parseCommandArgs(args, OPTIONS, USAGE);
    const [sub, ...rest] = positionals;
    const need = (i: number, what: string) => {
      if (!rest[i]) throw new UsageError(`dataset ${sub}: missing ${what}`, USAGE);
      return rest[i];
    };
    const db = () => ctx.store();
    const kind = (k: string | undefined): FindingKind | undefined => {
      if (k === undefined) return undefined;
      if (!FINDING_KINDS.includes(k as FindingKind))
        throw badInput(`unknown finding kind "${k}" (${FINDING_KINDS.join(', ')})`, { field: 'kind' });
      return k as FindingKind;
    };
    const format = (f: string | undefined): DataFormat | undefined => {
      if (f !== undefined && !DATA_FORMATS.includes(f as DataFormat))
        throw badInput(`unknown format "${f}" (${DATA_FORMATS.join(', ')})`, { field: 'format' });
      return f as DataFormat | undefined;
    };

    switch (sub) {
      case 'import': {
        const first = need(0, 'FILE');
        if (first.startsWith('builtin:')) {
          const ds = await getDatasetByName(db(), first);
          return report(ctx, o.json, { datasetId: ds.id, name: ds.name, pairs: ds.pairCount, skipped: [] });
        }
        if (!o.name) throw new UsageError('dataset import: --name NAME is required', USAGE);
        const bar = new ProgressBar(ctx.isTTY && !o.json);
        const result = await importDataset(db(), {
          name: o.name,
          files: rest,
          format: format(o.format),
          skipBad: o['skip-bad'],
          srcCol: o['src-col'],
          tgtCol: o['tgt-col'],
          validFiles: o.valid,
          testFiles: o.test,
          splitName: o['split-name'],
          onProgress: (p) =>
            bar.update(
              p.totalBytes ? p.bytes / p.totalBytes : null,
              `${p.rows.toLocaleString()} pairs  ${Math.round(p.rowsPerSecond).toLocaleString()}/s  ` +
                `ETA ${formatEta(p.etaSeconds)}`,
            ),
        });
        bar.done();
        for (const b of result.skipped) ctx.stderr.write(`skipped ${b.file}:${b.line}: ${b.message}\n`);
        report(ctx, o.json, result);
        if (result.split && !o.json) {
          const c = result.split.counts;
          ctx.print(`split "${result.split.name}" from the files: train ${c.train}, valid ${c.valid}, test ${c.test}`);
        }
        return;
      }
      case 'list': {
        const list = listDatasets(db());
        if (o.json) return ctx.printJson({ datasets: list });
        if (list.length === 0)
          return ctx.print('no datasets yet: workbench dataset import FILE --name NAME (or builtin:sample)');
        for (const d of list) ctx.print(`${d.name.padEnd(24)} ${String(d.pairCount).padStart(9)} pairs  ${d.origin}`);
        return;
      }
      case 'show': {
        const ds = getDataset(db(), need(0, 'NAME'));
        // A regular expression runs off this thread within a time limit, as in browser mode (regex-search.ts).
        const page = await searchPairs(db(), ds.id, {
          search: o.search,
          regex: o.regex,
          side: oneOf(o.side, SIDES, 'side'),
          sort: oneOf(o.sort, SORTS, 'sort'),
          desc: o.desc,
          tag: o.tag,
          finding: kind(o.finding),
          runId: o.run ? requireInt(o.run, 'run') : undefined,
          region: oneOf(o.region, CARTOGRAPHY_REGIONS, 'region'),
          offset: o.offset ? requireInt(o.offset, 'offset') : 0,
          limit: o.limit ? requireInt(o.limit, 'limit') : 20,
        });
        if (o.json) return ctx.printJson({ dataset: ds, ...page });
        ctx.print(
          `${ds.name}: ${ds.pairCount} pairs (${page.total} match), showing ${page.rows.length} from ${page.offset}`,
        );
        for (const r of page.rows)
          ctx.print(`${String(r.id).padStart(8)}  ${r.source}\t${r.target}${r.tags ? `  [${r.tags}]` : ''}`);
        return;
      }
      case 'stats': {
        const ds = getDataset(db(), need(0, 'NAME'));
        const s = datasetStats(db(), ds.id);
        if (o.json) return ctx.printJson({ name: ds.name, ...s });
        ctx.print(`${ds.name}: ${s.pairs} pairs; vocabulary en ${s.srcVocab}, hi ${s.tgtVocab}`);
        ctx.print(
          `length en: mean ${s.srcLength.mean.toFixed(1)}, median ${s.srcLength.median}, ` +
            `p95 ${s.srcLength.p95}, max ${s.srcLength.max}`,
        );
        ctx.print(
          `length hi: mean ${s.tgtLength.mean.toFixed(1)}, median ${s.tgtLength.median}, ` +
            `p95 ${s.tgtLength.p95}, max ${s.tgtLength.max}`,
        );
        return;
      }
      case 'validate': {
        const ds = getDataset(db(), need(0, 'NAME'));
        const k = kind(o.kind);
        const findings = validateDataset(db(), ds.id).filter((f) => !k || f.kind === k);
        if (o.json) return ctx.printJson({ findings });
        const byKind = new Map<string, number>();
        for (const f of findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
        ctx.print(`${ds.name}: ${findings.length} findings${[...byKind].map(([kk, n]) => `, ${kk} ${n}`).join('')}`);
        for (const f of findings.slice(0, 200))
          ctx.print(`  pair ${f.pairId}: ${f.kind}: ${f.message}${f.fix ? ' (fixable)' : ''}`);
        if (findings.length > 200) ctx.print(`  … ${findings.length - 200} more (use --json or --kind)`);
        return;
      }
      case 'export': {
        const name = need(0, 'NAME');
        const file = need(1, 'FILE');
        const fmt = format(o.format) ?? (file.endsWith('.csv') ? 'csv' : file.endsWith('.jsonl') ? 'jsonl' : 'tsv');
        const version = o.version === undefined ? undefined : requireInt(o.version, 'version');
        const r = await exportDataset(db(), name, file, fmt, { version });
        return report(ctx, o.json, r, `wrote ${r.pairs} pairs to ${r.files.join(' and ')}`);
      }
      case 'split': {
        const ds = getDataset(db(), need(0, 'NAME'));
        if (o.seed || o['valid-ratio'] || o['test-ratio'] || o['split-name']) {
          const info = createSplit(
            db(),
            ds.id,
            o['split-name'] ?? 'default',
            {
              seed: o.seed ? requireInt(o.seed, 'seed') : 1,
              valid_ratio: ratio(o['valid-ratio'], 0.1),
              test_ratio: ratio(o['test-ratio'], 0.1),
            },
            true,
          );
          return report(
            ctx,
            o.json,
            info,
            `split "${info.name}": train ${info.counts.train}, valid ${info.counts.valid}, test ${info.counts.test}`,
          );
        }
        const splits = listSplits(db(), ds.id);
        if (o.json) return ctx.printJson({ splits });
        for (const s of splits)
          ctx.print(
            `${s.name}: train ${s.counts.train}, valid ${s.counts.valid}, test ${s.counts.test}  ` +
              JSON.stringify(s.method),
          );
        return;
      }
      case 'edit': {
        const ds = getDataset(db(), need(0, 'NAME'));
        const ids = (o.pair ?? []).map((p) => requireInt(p, 'pair'));
        if (ids.length !== 1) throw new UsageError('dataset edit: give exactly one --pair ID', USAGE);
        const r = editPairs(db(), ds.id, `edit pair ${ids[0]}`, [
          { op: 'update', pairId: ids[0], source: o.source, target: o.target, tags: o.tags },
        ]);
        return report(ctx, o.json, r, `edited pair ${ids[0]}`);
      }
      case 'add': {
        const ds = getDataset(db(), need(0, 'NAME'));
        if (!o.source || !o.target) throw new UsageError('dataset add: --source and --target are required', USAGE);
        const r = editPairs(db(), ds.id, 'add pair', [
          { op: 'insert', source: o.source, target: o.target, tags: o.tags },
        ]);
        return report(ctx, o.json, r, `added pair ${r.pairIds[0]}`);
      }
      case 'delete': {
        const ds = getDataset(db(), need(0, 'NAME'));
        const ids = (o.pair ?? []).map((p) => requireInt(p, 'pair'));
        if (ids.length === 0) {
          deleteDataset(db(), ds.id);
          return report(ctx, o.json, { deleted: ds.name }, `deleted dataset ${ds.name} (${ds.pairCount} pairs)`);
        }
        const r = editPairs(
          db(),
          ds.id,
          `delete ${ids.length} pair(s)`,
          ids.map((pairId) => ({ op: 'delete' as const, pairId })),
        );
        return report(ctx, o.json, r, `deleted ${ids.length} pair(s); undo with: workbench dataset undo ${ds.name}`);
      }
      case 'fix': {
        const ds = getDataset(db(), need(0, 'NAME'));
        const ids = o.pair?.map((p) => requireInt(p, 'pair'));
        const r = applyFixes(db(), ds.id, { kind: kind(o.kind), pairIds: ids });
        return report(
          ctx,
          o.json,
          r,
          r.fixed ? `fixed ${r.fixed} pair(s); undo with: workbench dataset undo ${ds.name}` : 'nothing to fix',
        );
      }
      case 'tag': {
        const ds = getDataset(db(), need(0, 'NAME'));
        const ids = (o.pair ?? []).map((p) => requireInt(p, 'pair'));
        if (ids.length === 0) throw new UsageError('dataset tag: give the pairs with --pair ID (repeatable)', USAGE);
        const r = tagPairs(db(), ds.id, ids, { add: o.add, remove: o.remove });
        return report(
          ctx,
          o.json,
          { changed: r?.pairIds.length ?? 0, edit: r },
          r ? `tagged ${r.pairIds.length} pair(s); undo with: workbench dataset undo ${ds.name}` : 'no tags changed',
        );
      }
      case 'history': {
        const ds = getDataset(db(), need(0, 'NAME'));
        const h = editHistory(db(), ds.id, o.limit ? requireInt(o.limit, 'limit') : 50);
        if (o.json) return ctx.printJson({ history: h });
        if (h.length === 0) return ctx.print('no edits yet');
        for (const e of h)
          ctx.print(
            `${String(e.id).padStart(6)}  ${e.createdAt}  ` +
              `${e.state === 'undone' ? '(undone) ' : ''}${e.label}  [${e.ops} op(s)]`,
          );
        return;
      }
      case 'undo':
      case 'redo': {
        const ds = getDataset(db(), need(0, 'NAME'));
        const e = sub === 'undo' ? undo(db(), ds.id) : redo(db(), ds.id);
        return report(
          ctx,
          o.json,
          { entry: e },
          e ? `${sub === 'undo' ? 'undid' : 'redid'}: ${e.label}` : `nothing to ${sub}`,
        );
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand', USAGE);
    }
  },
};

function ratio(v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!(n >= 0 && n < 1)) throw badInput(`ratio must be in [0, 1), got "${v}"`, { field: 'ratio' });
  return n;
}

function report(ctx: CliContext, json: boolean | undefined, value: object, text?: string): void {
  if (json) ctx.printJson(value);
  else ctx.print(text ?? summarize(value));
}

function summarize(value: object): string {
  const v = value as { name?: string; pairs?: number; skipped?: unknown[]; seconds?: number };
  if (v.pairs !== undefined)
    return (
      `imported ${v.pairs} pairs into "${v.name}"` +
      (v.skipped?.length ? `, skipped ${v.skipped.length} bad line(s)` : '') +
      (v.seconds ? ` in ${v.seconds.toFixed(2)} s` : '')
    );
  return JSON.stringify(value);
}
