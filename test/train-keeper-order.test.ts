import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointKeeper, type KeptCheckpoint } from '../src-main/core/train/keeper.ts';

/**
 * The checkpoint keeper under kill -9: the index (the store) must never list a
 * folder that is gone, and the latest checkpoint it lists must keep its resume
 * files. So the new checkpoint is announced before older ones are pruned, and
 * files are deleted or stripped only after the index changes that stop needing
 * them (afterRecorded, which the trainer routes through its write queue).
 * Before, add() deleted and stripped first and announced the new checkpoint
 * last: a kill in between left an index entry without files, or a latest
 * checkpoint that could not resume (found by test/store-faults-training.test.ts).
 */
function checkpointAt(root: string, step: number, score: number): KeptCheckpoint {
  const dir = join(root, `ckpt-${step}`);
  mkdirSync(dir);
  for (const f of ['model.json', 'training-state.json', 'optimizer.json']) writeFileSync(join(dir, f), '{}');
  return { dir, step, epoch: step, score };
}

describe('checkpoint keeper', () => {
  it(
    'announces the new checkpoint first and changes files ' + 'only once the index changes before them are recorded',
    () => {
      const root = mkdtempSync(join(tmpdir(), 'wb-keeper-'));
      const events: string[] = [];
      const held: Array<() => void> = [];
      // keep 1 best (loss: lower is better) plus the latest
      const keeper = new CheckpointKeeper(1, 'min', {
        onAdded: (k, role) => events.push(`added ${k.step} ${role}`),
        onRemoved: (k) => events.push(`removed ${k.step}`),
        onRoleChanged: (k, role) => events.push(`role ${k.step} ${role}`),
        afterRecorded: (change) => {
          events.push('file change queued');
          held.push(change);
        },
      });
      const one = checkpointAt(root, 1, 0.5);
      const two = checkpointAt(root, 2, 0.4); // better: the only best; 1 drops out
      keeper.add(one);
      keeper.add(two);
      expect(events).toEqual(['added 1 best', 'added 2 best', 'removed 1', 'file change queued']);
      // Not recorded yet: ckpt-1 is still on disk (a kill now leaves an unlisted folder, never a listed missing one).
      expect(existsSync(one.dir)).toBe(true);
      held.splice(0).forEach((change) => change());
      expect(existsSync(one.dir)).toBe(false);

      const three = checkpointAt(root, 3, 0.9); // worse: kept as the latest only; 2 stays best, loses its resume files
      events.length = 0;
      keeper.add(three);
      expect(events).toEqual(['added 3 latest', 'role 2 best', 'file change queued']);
      expect(existsSync(join(two.dir, 'training-state.json'))).toBe(true);
      held.splice(0).forEach((change) => change());
      expect(existsSync(join(two.dir, 'training-state.json'))).toBe(false);
      expect(existsSync(join(two.dir, 'model.json'))).toBe(true);
    },
  );
});
