import { WorkbenchError } from '../../common/errors.ts';
import type { Command } from '../context.ts';

export const command: Command = {
  summary: '(not built yet)',
  usage: 'workbench train ...',
  async run() {
    throw new WorkbenchError('unsupported', '"workbench train" is not built yet');
  },
};
