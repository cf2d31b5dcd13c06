import type { FakeEcs, FakeEcsOptions } from '../../packages/local-aws/src/fake-ecs';
import type { WorkflowCommand } from '../../packages/action-kit/src/testing/file-commands';
import type { Moto, MotoOptions } from '../../packages/local-aws/src/moto';
import type { RunOptions, RunResult } from '../../packages/action-kit/src/testing/runner';

export interface Kit {
  runActionBundle(entry: string, options?: RunOptions): Promise<RunResult>;
  startMoto(options?: MotoOptions): Promise<Moto>;
  freePort(): Promise<number>;
  startFakeEcs(options?: FakeEcsOptions): Promise<FakeEcs>;
  parseWorkflowCommands(stdout: string): WorkflowCommand[];
}
export function loadKit(): Promise<Kit>;
