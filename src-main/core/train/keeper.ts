import { rmSync } from 'node:fs';
import { stripResumeState } from './checkpoint.ts';

/**
 * Which checkpoint folders to keep: the keep_best_ckpts best by the early-stopping
 * metric, plus the latest (what resume continues from). Only the latest keeps its
 * resume files (optimizer moments are twice the model's size); the others are
 * stripped to model + vocab + config, and folders that drop out are deleted.
 */
export interface KeptCheckpoint {
  dir: string;
  step: number;
  epoch: number;
  /** early-stopping metric at this step (null: saved without a validation, e.g. on cancel) */
  score: number | null;
}

export type KeptRole = 'best' | 'latest';

/**
 * What the keeper tells the checkpoint index (the store), in an order that
 * survives kill -9 at any point: the new checkpoint is announced before any
 * older one is pruned or stripped, and a folder is deleted or stripped of its
 * resume files only once the index no longer needs them (afterRecorded). A kill
 * in between leaves an extra folder, never an index entry whose files are gone
 * nor a latest checkpoint without its resume files.
 */
export interface KeeperEvents {
  onAdded?(ckpt: KeptCheckpoint, role: KeptRole): void;
  onRemoved?(ckpt: KeptCheckpoint): void;
  onRoleChanged?(ckpt: KeptCheckpoint, role: KeptRole): void;
  /**
   * runs a change to the files once the events before it are recorded (the trainer's writes may be queued); default: at
   * once
   */
  afterRecorded?(change: () => void): void;
}

export class CheckpointKeeper {
  private kept: KeptCheckpoint[];

  constructor(
    private readonly keepBest: number,
    private readonly mode: 'min' | 'max',
    private readonly events: KeeperEvents = {},
    restored: KeptCheckpoint[] = [],
  ) {
    this.kept = [...restored];
  }

  /** Registers a freshly saved checkpoint (the new latest) and prunes; returns its role. */
  add(ckpt: KeptCheckpoint): KeptRole {
    const previousLatest = this.latest();
    this.kept = this.kept.filter((k) => k.dir !== ckpt.dir);
    this.kept.push(ckpt);
    const best = new Set(this.bestOnes().map((k) => k.dir));
    const role: KeptRole = best.has(ckpt.dir) ? 'best' : 'latest';
    this.events.onAdded?.(ckpt, role);
    const later = this.events.afterRecorded ?? ((change: () => void) => change());
    for (const k of [...this.kept]) {
      if (k === ckpt || best.has(k.dir)) continue;
      this.kept = this.kept.filter((x) => x !== k);
      this.events.onRemoved?.(k);
      later(() => rmSync(k.dir, { recursive: true, force: true }));
    }
    if (previousLatest && previousLatest.dir !== ckpt.dir && this.kept.includes(previousLatest)) {
      this.events.onRoleChanged?.(previousLatest, 'best');
      later(() => stripResumeState(previousLatest.dir));
    }
    return role;
  }

  latest(): KeptCheckpoint | undefined {
    return this.kept.reduce<KeptCheckpoint | undefined>((a, k) => (!a || k.step > a.step ? k : a), undefined);
  }

  /** The keepBest checkpoints with the best scores (ties: the later step). */
  bestOnes(): KeptCheckpoint[] {
    const scored = this.kept.filter((k) => k.score !== null);
    const sign = this.mode === 'min' ? 1 : -1;
    scored.sort((a, b) => sign * ((a.score as number) - (b.score as number)) || b.step - a.step);
    return scored.slice(0, this.keepBest);
  }

  state(): KeptCheckpoint[] {
    return this.kept.map((k) => ({ ...k }));
  }
}
