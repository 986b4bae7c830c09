import { WorkbenchError } from '../../common/errors.ts';
import type { Command } from '../context.ts';

export const command: Command = {
  summary: '(not built yet)',
  usage: 'workbench score ...',
  async run() {
    throw new WorkbenchError('unsupported', '"workbench score" is not built yet');
  },
};
