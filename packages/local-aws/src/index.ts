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
