import { z } from 'zod';

/**
 * A run's status and live progress, declared once: the store keeps them (store/runs.ts parses the
 * stored progress with this schema), trainers send them, and the contract carries them to the views.
 */
export const RunStatusSchema = z.enum([
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
  'imported',
]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const RunProgressSchema = z.object({
  phase: z.enum(['preparing', 'training', 'validating', 'checkpointing', 'done']),
  step: z.number(),
  epoch: z.number(),
  totalSteps: z.number(),
  /** 0..1 of the planned updates */
  fraction: z.number(),
  etaSeconds: z.number().nullable(),
  loss: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
  backend: z.string().nullable(),
  message: z.string().optional(),
});
/** The live snapshot a trainer keeps in runs.progress (and sends over IPC). */
export type RunProgress = z.infer<typeof RunProgressSchema>;

/** One point of a metric series, as stored and as sent. */
export interface MetricPoint {
  step: number;
  epoch: number;
  /** seconds since the unix epoch */
  wall_time: number;
  value: number;
}
