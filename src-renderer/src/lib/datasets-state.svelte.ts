import type { FilterApplyDto } from '@common/contract.ts';
import type { PairQuery } from '../components/PairTable.svelte';
import { api, errorText } from './api.ts';
import { plural } from './plural.ts';
import type {
  DatasetDto,
  DatasetStatsDto,
  FindingDto,
  HistoryDto,
  ImportResultDto,
  PairChangeInput,
  PairDto,
  RunSummaryDto,
  SplitDto,
} from './types.ts';

/** the table's own sorts (the others need a run's per-pair numbers) */
export const PLAIN_SORTS: ReadonlyArray<PairQuery['sort']> = ['ord', 'source', 'target', 'updated', 'length'];

/**
 * What the Datasets view shows and the edits it makes: the list, the open dataset's
 * stats, findings, splits and edit history, the table's query and selection, and the
 * status line. One instance per view (the view creates it); its components share it
 * through props. Methods are arrow fields so they can be handed out as callbacks.
 */
export class DatasetsState {
  datasets = $state<DatasetDto[]>([]);
  listLoaded = $state(false);
  stats = $state<DatasetStatsDto | null>(null);
  findings = $state<FindingDto[]>([]);
  splits = $state<SplitDto[]>([]);
  /** recent edit groups, newest first: what Undo and Redo would act on */
  history = $state<HistoryDto[]>([]);
  /** the runs trained on the open dataset (their per-pair numbers sort the table; one may score pairs) */
  runs = $state<RunSummaryDto[]>([]);
  error = $state('');
  message = $state('');
  /** bumped after any change to pairs: the table, panels and partners reload */
  version = $state(0);
  selected = $state(new Set<number>());
  query = $state<PairQuery>({
    search: '',
    regex: false,
    side: 'both',
    sort: 'ord',
    desc: false,
    finding: '',
    tag: '',
    runId: null,
    region: '',
  });
  /** the pair whose near-duplicate partners are shown (one selected row, or a partner clicked) */
  focusPair = $state<number | null>(null);
  /** the dataset whose details are on screen (plain field: async replies compare against it) */
  shown: string | null = null;

  // Undone groups are always newer than done ones (a new edit drops the redo branch):
  // undo takes the newest done group, redo the oldest undone one.
  undoNext = $derived(this.history.find((h) => h.state === 'done'));
  redoNext = $derived(this.history.filter((h) => h.state === 'undone').at(-1));

  /** Another dataset (or none) is on screen: forget the last one's selection, filters and details. */
  open = (name: string | null) => {
    this.shown = name;
    this.selected = new Set();
    this.query.finding = '';
    this.query.tag = '';
    [this.query.runId, this.query.region] = [null, ''];
    if (!PLAIN_SORTS.includes(this.query.sort)) this.query.sort = 'ord';
    this.focusPair = null;
    [this.runs, this.stats, this.findings, this.splits, this.history] = [[], null, [], [], []];
    if (name) void this.refreshDetails(name).catch(this.fail);
    if (name) this.refreshRuns(name);
  };

  refreshList = async () => {
    this.datasets = await api.invoke('datasets.list', {});
    this.listLoaded = true;
  };

  refreshDetails = async (name: string) => {
    const [st, fi, sp, hi] = await Promise.all([
      api.invoke('datasets.stats', { name }),
      api.invoke('datasets.findings', { name }),
      api.invoke('datasets.splits', { name }),
      api.invoke('pairs.history', { name }),
    ]);
    if (name !== this.shown) return; // another dataset was opened meanwhile
    [this.stats, this.findings, this.splits, this.history] = [st, fi, sp, hi];
    // a fix (or an edit) left no pair with the finding the table is filtered to: show every pair again
    const finding = this.query.finding;
    if (finding && !fi.some((f) => f.kind === finding)) {
      const gone = `no pair has “${finding.replaceAll('_', ' ')}” any more: showing all pairs`;
      this.message = `${this.message ? `${this.message} · ` : ''}${gone}`;
      this.query.finding = '';
    }
  };

  /** the runs trained on a dataset (asked again each time the view is shown: runs end elsewhere) */
  refreshRuns = (name: string) => {
    void api.invoke('runs.list', {}).then((runs) => {
      if (name === this.shown) this.runs = runs.filter((r) => r.datasetName === name && r.step > 0);
    });
  };

  fail = (e: unknown) => {
    this.error = errorText(e);
  };

  /** After any change to pairs: reload the visible pages, counts and findings. */
  changed = (note?: string) => {
    this.version++;
    if (note) this.message = note;
    if (this.shown) void this.refreshDetails(this.shown).catch(this.fail);
    void this.refreshList().catch(this.fail);
  };

  /** a filter applied or a duplicate kept: a new version, the removed pairs gone from the head */
  versionMade = (r: FilterApplyDto, what: string) => {
    this.changed(
      `version ${r.versionNumber} “${r.label}”: ${what} ${plural(r.removed, 'pair')}, ` +
        `${plural(r.pairCount, 'pair')} left (Ctrl+Z undoes)`,
    );
  };

  /** an action whose failure is shown in the error banner (cleared when it starts) */
  run = async (fn: () => Promise<unknown>) => {
    this.error = '';
    try {
      await fn();
    } catch (e) {
      this.fail(e);
    }
  };

  edit = (label: string, changes: PairChangeInput[], note: string) =>
    this.run(async () => {
      await api.invoke('pairs.edit', { name: this.shown as string, label, changes });
      this.selected = new Set();
      this.changed(`${note} (Ctrl+Z undoes)`);
    });

  deletePairs = (ids: number[]) => {
    if (!ids.length) return;
    const changes = ids.map((pairId) => ({ op: 'delete' as const, pairId }));
    void this.edit(`delete ${plural(ids.length, 'pair')}`, changes, `deleted ${plural(ids.length, 'pair')}`);
  };

  /** add (or remove) one tag on the given rows, as one undoable edit */
  tagPairs = (rows: PairDto[], tag: string, add: boolean) => {
    const changes = rows.map((r) => {
      const tags = new Set(r.tags.split(/\s+/).filter(Boolean));
      if (add) tags.add(tag);
      else tags.delete(tag);
      return { op: 'update' as const, pairId: r.id, tags: [...tags].join(' ') };
    });
    if (!changes.length) return;
    const [verb, done] = add ? ['tag', 'tagged'] : ['untag', 'untagged'];
    const what = `${plural(changes.length, 'pair')} "${tag}"`;
    void this.edit(`${verb} ${what}`, changes, `${done} ${what}`);
  };

  undoRedo = (which: 'pairs.undo' | 'pairs.redo') =>
    this.run(async () => {
      if (!this.shown) return;
      const e = await api.invoke(which, { name: this.shown });
      const undo = which === 'pairs.undo';
      this.changed(e ? `${undo ? 'undid' : 'redid'}: ${e.label}` : `nothing to ${undo ? 'undo' : 'redo'}`);
    });

  /** the status line after an import */
  imported = (r: ImportResultDto) => {
    const skipped = r.skipped.length ? `, skipped ${plural(r.skipped.length, 'line')}` : '';
    this.message = `imported ${plural(r.pairs, 'pair')} into "${r.name}" in ${r.seconds.toFixed(2)} s${skipped}`;
  };

  sortBy = (sort: PairQuery['sort']) => {
    if (this.query.sort === sort) this.query.desc = !this.query.desc;
    else [this.query.sort, this.query.desc] = [sort, sort === 'updated' || sort === 'length' || sort === 'variability'];
  };
}
