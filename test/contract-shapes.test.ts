import { describe, expect, expectTypeOf, it } from 'vitest';
import { BACKEND_PREFERENCES, type BackendPreference } from '../src-main/common/backends.ts';
import {
  schemas,
  type Input,
  type ResponseMessage,
  type RunProgressDto,
  type RunStatusDto,
  type TranslationDto,
} from '../src-main/common/contract.ts';
import type { IpcReply } from '../src-main/common/ipc.ts';
import type { InferenceReply } from '../src-main/core/inference/protocol.ts';
import type { Translation } from '../src-main/core/inference/translator.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { createRun, getRun, updateRunProgress, type RunProgress, type RunStatus } from '../src-main/core/store/runs.ts';
import { parseRunConfig } from '../src-main/common/config.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';

/**
 * The contract's DTOs are the core's types (declared once in common), and its `backend` is the one
 * backend list. Type equalities are checked by tsc over this file; the rest at run time.
 */
describe('contract shapes derive from the core', () => {
  it('DTO and core twins are one type', () => {
    expectTypeOf<RunProgressDto>().toEqualTypeOf<RunProgress>();
    expectTypeOf<RunStatusDto>().toEqualTypeOf<RunStatus>();
    expectTypeOf<TranslationDto>().toEqualTypeOf<Translation>();
    expectTypeOf<InferenceReply>().toEqualTypeOf<ResponseMessage>();
    expectTypeOf<ResponseMessage>().toMatchTypeOf<IpcReply>();
    expectTypeOf<NonNullable<Input<'runs.launch'>['backend']>>().toEqualTypeOf<BackendPreference>();
  });

  it("the launch's backend is one of the backend list, refused at the edge in words", async () => {
    const launch = (backend: string) => schemas['runs.launch'].safeParse({ config: { dataset: 'x' }, backend });
    for (const b of BACKEND_PREFERENCES) expect(launch(b).success, b).toBe(true);
    expect(launch('quantum').success).toBe(false);
    const service = new WorkbenchService({
      db: openDb(':memory:'),
      dbPath: ':memory:',
      door: 'browser',
      emit: () => {},
    });
    await expect(
      service.dispatch('runs.launch', { config: { dataset: 'x' }, backend: 'quantum' }),
    ).rejects.toMatchObject({
      code: 'bad_input',
      where: { field: 'backend' },
      message: expect.stringMatching(/backend: must be one of: auto, tensorflow-gpu, .*, cpu/),
    });
    const translate = { runId: 1, texts: ['a'], settings: { nonsense: 1 } };
    await expect(service.dispatch('playground.translate', translate)).rejects.toThrow(
      /settings: nonsense: unknown option/,
    );
    service.close();
  });

  it('stored progress is parsed: a snapshot in another shape reads as none', () => {
    const db = openDb(':memory:');
    const run = createRun(db, { config: parseRunConfig({ dataset: 'x' }) });
    const progress: RunProgress = {
      phase: 'training',
      step: 3,
      epoch: 0.5,
      totalSteps: 10,
      fraction: 0.3,
      etaSeconds: 4,
      loss: 2,
      tokensPerSecond: 100,
      backend: 'cpu',
    };
    updateRunProgress(db, run.id, progress);
    expect(getRun(db, run.id).progress).toEqual(progress);
    db.prepare('UPDATE runs SET progress = ? WHERE id = ?').run(JSON.stringify({ step: 'three' }), run.id);
    expect(getRun(db, run.id).progress).toBeNull();
  });
});
