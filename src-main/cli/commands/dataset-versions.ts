import type { VersionDiffDto } from '../../common/dataset-versions.ts';
import { diffVersions } from '../../core/data/version-diff.ts';
import { listVersions } from '../../core/data/versions.ts';
import { getDataset } from '../../core/store/datasets.ts';
import { parseCommandArgs, requireInt, UsageError, type CliContext } from '../context.ts';

/**
 * `workbench dataset versions NAME` and `workbench dataset diff NAME --from N --to M`: a dataset's versions
 * (core/data/versions.ts) with the runs that trained on each, and what changed between two of them.
 */
export const VERSIONS_USAGE = `usage: workbench dataset versions NAME [--json]
       workbench dataset diff NAME --from N --to M [--offset N] [--limit N] [--json]

  versions: each version of the dataset (1 = as imported), how it was made, its pairs and the runs that
  trained on it. A version never changes; the head (what you edit) moves on. Export one with
  workbench dataset export NAME FILE --version N.
  diff: the pairs added, removed and changed from version N to version M (a page of them, in dataset order).
`;

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  offset: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export function versionsCommand(args: string[], ctx: CliContext): void {
  const { values: o, positionals } = parseCommandArgs(args, OPTIONS, VERSIONS_USAGE);
  const [name] = positionals;
  if (!name) throw new UsageError('dataset versions: missing NAME', VERSIONS_USAGE);
  const db = ctx.store();
  const ds = getDataset(db, name);
  const versions = listVersions(db, ds.id);
  if (o.json) return ctx.printJson({ dataset: ds.name, versions });
  ctx.print(`${ds.name}: ${versions.length} version(s); the head has ${ds.pairCount} pairs`);
  for (const v of versions) {
    const runs = v.runIds.length ? `  runs ${v.runIds.join(', ')}` : '';
    const made = `${v.recipe.kind}${v.label && v.label !== `version ${v.number}` ? `: ${v.label}` : ''}`;
    ctx.print(`  v${v.number}  ${String(v.pairCount).padStart(8)} pairs  ${v.createdAt.slice(0, 19)}  ${made}${runs}`);
  }
}

export function diffCommand(args: string[], ctx: CliContext): void {
  const { values: o, positionals } = parseCommandArgs(args, OPTIONS, VERSIONS_USAGE);
  const [name] = positionals;
  if (!name) throw new UsageError('dataset diff: missing NAME', VERSIONS_USAGE);
  if (o.from === undefined || o.to === undefined)
    throw new UsageError('dataset diff: give --from N and --to M (version numbers)', VERSIONS_USAGE);
  const d = diffVersions(ctx.store(), name, requireInt(o.from, 'from'), requireInt(o.to, 'to'), {
    offset: o.offset ? requireInt(o.offset, 'offset') : 0,
    limit: o.limit ? requireInt(o.limit, 'limit') : 20,
  });
  if (o.json) return ctx.printJson(d);
  printDiff(ctx, d);
}

/** A diff in words: the counts, then each row of the page (also `runs data-diff`). */
export function printDiff(ctx: CliContext, d: VersionDiffDto): void {
  const { added, removed, changed } = d.counts;
  ctx.print(`${d.datasetName} v${d.from} -> v${d.to}: ${added} added, ${removed} removed, ${changed} changed`);
  for (const r of d.rows) {
    const side = (p: { source: string; target: string } | null) => (p ? `${p.source} ||| ${p.target}` : '');
    if (r.kind === 'added') ctx.print(`  + #${r.pairId}  ${side(r.after)}`);
    else if (r.kind === 'removed') ctx.print(`  - #${r.pairId}  ${side(r.before)}`);
    else ctx.print(`  ~ #${r.pairId}  ${side(r.before)}\n      -> ${side(r.after)}`);
  }
  const shown = d.offset + d.rows.length;
  if (shown < d.total) ctx.print(`  (${d.total - shown} more: --offset ${shown})`);
}
