/** The contract's data types as the views use them (one import place; types only, nothing at run time). */
import type { Input } from '@common/contract.ts';

export type {
  AppInfoDto,
  BackendsDto,
  BeamNodeDto,
  BootstrapDto,
  CheckpointDto,
  DatasetDto,
  DatasetStatsDto,
  FindingDto,
  HistoryDto,
  HypothesisDto,
  ImportResultDto,
  MetricPointDto,
  PairDto,
  RunDetailDto,
  RunProgressDto,
  RunStatusDto,
  RunSummaryDto,
  SampleDto,
  SplitDto,
  TranslationDto,
  WorkbenchEvent,
} from '@common/contract.ts';

/** One change of a pairs.edit request: insert, update or delete a pair. */
export type PairChangeInput = Input<'pairs.edit'>['changes'][number];
/** Decoding settings of a playground request. */
export type DecodeSettingsInput = NonNullable<Input<'playground.translate'>['settings']>;
