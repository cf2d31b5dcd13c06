export { runActionBundle, inputVariable } from './runner';
export type { RunOptions, RunResult } from './runner';
export { parseFileCommand, parseWorkflowCommands } from './file-commands';
export type { WorkflowCommand } from './file-commands';
export { startMoto, findMotoServer, freePort } from './moto';
export type { Moto, MotoOptions } from './moto';
export { useMoto } from './jest-moto';
export {
  startFakeEcs,
  type FakeEcs,
  type FakeEcsOptions,
  type FakeRollout,
  type FakeRolloutScript,
  type FakeServiceOptions,
  type FakeStoppedTask,
  type FakeTag,
} from './fake-ecs';
