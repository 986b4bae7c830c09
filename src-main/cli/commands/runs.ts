import { WorkbenchError } from '../../common/errors.ts';
import type { Command } from '../context.ts';

export const command: Command = {
  summary: '(not built yet)',
  usage: 'workbench runs ...',
  async run() {
    throw new WorkbenchError('unsupported', '"workbench runs" is not built yet');
  },
};
