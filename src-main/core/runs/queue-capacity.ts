import { availableParallelism, freemem } from 'node:os';

/**
 * How many trainers the machine can take at once, the queue's default concurrency: one per core
 * (a trainer's tfjs backend computes on one thread), fewer when free memory cannot hold them (a
 * small-preset trainer with tfjs and its dataset peaks well under 1 GiB; the larger presets near it).
 */
export const TRAINER_MEMORY_BYTES = 1024 ** 3;

export function machineCapacity(
  m: { cores: number; freeBytes: number } = { cores: availableParallelism(), freeBytes: freemem() },
): number {
  return Math.max(1, Math.min(m.cores, Math.floor(m.freeBytes / TRAINER_MEMORY_BYTES)));
}
