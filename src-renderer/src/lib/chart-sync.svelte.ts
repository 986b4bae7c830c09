/**
 * What the charts of one grid share: the x under the pointer in any of them
 * (each draws a crosshair and its tooltip there) and the x range zoomed to
 * (drag across one chart: all follow; double-click: all reset).
 */
export class ChartSync {
  /** x value under the pointer, and which chart it is over (that one shows its own tooltip) */
  hover = $state<{ x: number; source: symbol } | null>(null);
  /** zoomed x range; null: the whole data */
  range = $state<[number, number] | null>(null);
}

/** One line of a synced chart: a run (its data faint behind its smoothing) or a group (its mean inside a band). */
export interface BandLine {
  label: string;
  color: string;
  line: ReadonlyArray<{ x: number; y: number }>;
  /** the band around a group's mean (same x as `line`) */
  lo?: ReadonlyArray<{ x: number; y: number }>;
  hi?: ReadonlyArray<{ x: number; y: number }>;
  /** the raw data behind a smoothed line, drawn faint */
  faint?: ReadonlyArray<{ x: number; y: number }>;
}
