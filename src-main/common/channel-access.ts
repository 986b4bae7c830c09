import type { Channel } from './contract.ts';

/**
 * What each channel of the contract does to the workbench: `read` only reads and computes (lists, charts,
 * decoding, exports returned as bytes); `write` changes the store or starts and stops work (imports,
 * edits, launches, queue moves, stored evaluations). A browser-mode server's read-only link
 * (workbench serve --read-only-link, server/socket-api.ts) answers `read` channels only.
 *
 * A channel missing here fails to compile (ChannelAccessComplete below names it); an entry for a channel
 * the contract does not have is caught by test/channel-access.test.ts (not at compile time, so a channel
 * added here before its schema is committed does not break the build).
 */
export type ChannelAccess = 'read' | 'write';

export const CHANNEL_ACCESS = {
  'app.info': 'read',
  'app.backends': 'read',
  'jobs.cancel': 'read', // stops the caller's own decoding request; the store is untouched
  'files.pick': 'read',
  'datasets.list': 'read',
  'datasets.stats': 'read',
  'datasets.findings': 'read',
  'datasets.fix': 'write',
  'datasets.import': 'write',
  'datasets.export': 'read',
  'datasets.versions': 'read',
  'datasets.versionDiff': 'read',
  'datasets.versionRuns': 'read',
  'datasets.delete': 'write',
  'datasets.splits': 'read',
  'datasets.split': 'write',
  'datasets.filterPreview': 'read',
  'datasets.filterApply': 'write',
  'datasets.duplicatePartners': 'read',
  'datasets.keepDuplicate': 'write',
  'datasets.scorePairs': 'write',
  'datasets.cartography': 'read',
  'pairs.list': 'read',
  'pairs.edit': 'write',
  'pairs.undo': 'write',
  'pairs.redo': 'write',
  'pairs.history': 'read',
  'pairs.searchNgram': 'read',
  'runs.list': 'read',
  'runs.get': 'read',
  'runs.setTags': 'write',
  'runs.setNotes': 'write',
  'runs.groups': 'read',
  'runs.dataDiff': 'read',
  'runs.retrain': 'write',
  'runs.comparisons': 'read',
  'runs.validateConfig': 'read',
  'runs.launch': 'write',
  'runs.cancel': 'write',
  'runs.resume': 'write',
  'runs.delete': 'write',
  'runs.checkpoints': 'read',
  'runs.average': 'write',
  'runs.evaluate': 'write', // stores the evaluation and its test/* metrics
  'runs.sentenceHistory': 'read',
  'runs.evaluationSentences': 'read',
  'runs.slices': 'read',
  'queue.list': 'read',
  'queue.enqueue': 'write',
  'queue.pause': 'write',
  'queue.resume': 'write',
  'queue.cancel': 'write',
  'queue.move': 'write',
  'queue.setMaxConcurrent': 'write',
  'sweep.launch': 'write',
  'metrics.series': 'read',
  'metrics.names': 'read',
  'metrics.score': 'read',
  'compare.bootstrap': 'read',
  'compare.translations': 'read',
  'playground.translate': 'read',
  'playground.detokenize': 'read',
  'export.model': 'read',
  'export.metrics': 'read',
  'export.file': 'read',
  'models.import': 'write',
} as const satisfies Record<string, ChannelAccess>;

type Missing = Exclude<Channel, keyof typeof CHANNEL_ACCESS>;
type MustBeTrue<T extends true> = T;
/** Fails to compile, naming the channel and what to add, when a channel of the contract has no entry above. */
export type ChannelAccessComplete = MustBeTrue<
  [Missing] extends [never] ? true : `add to CHANNEL_ACCESS in common/channel-access.ts: '${Missing}': 'read' | 'write'`
>;

export function channelAccess(channel: Channel): ChannelAccess {
  return CHANNEL_ACCESS[channel];
}
