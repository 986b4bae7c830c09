import type { RunSummaryDto } from '@common/contract.ts';

/** What Compare hands each tool that acts on its chosen runs (the bootstrap panel, side by side). */
export interface CompareToolProps {
  /** the runs to look up by id (the tool's own doc says which: the chosen ones, or all) */
  runs: RunSummaryDto[];
  /** the chosen run ids, in order */
  chosen: number[];
  /** the view's action in progress ('' when none): one at a time */
  busy: string;
  /** runs `fn` as the view's action, `label` its name while it runs; its error shows in the view */
  work: (label: string, fn: () => Promise<void>) => Promise<void>;
}
