import { notFound } from '../../common/errors.ts';
import { getRun } from '../store/runs.ts';
import { planAverage, recordAverage } from '../train/average-plan.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';
import { checkpointDtos } from './run-dto.ts';

/**
 * `workbench average` for the app: the checkpoints are picked and checked here (planAverage: the same rule
 * as the CLI), their mean is computed and written in the inference process (a real model's weights take
 * seconds to average, off the service's event loop), then indexed here as a checkpoint of the run.
 */
export function averageHandler(h: HandlerContext): HandlersOf<'runs.average'> {
  const { db } = h;
  return {
    'runs.average': async ({ runId, last }) => {
      const plan = planAverage(db, runId, last);
      await h.decode<string>({ kind: 'average', plan });
      const r = recordAverage(db, plan);
      const checkpoint = checkpointDtos(db, getRun(db, runId)).find((c) => c.id === r.checkpointId);
      // the run was deleted while the average was written
      if (!checkpoint) throw notFound(`run ${runId}: the averaged checkpoint is gone`);
      return { checkpoint, steps: r.steps };
    },
  };
}
