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
export { startEdge, matchesPathPattern, behaviourFor } from './edge';
export type { Edge, EdgeBehaviour, EdgeOptions, OriginResponse, SiteOrigin, ViewerRequest } from './edge';
export { bucketOrigin } from './bucket-origin';
export { startDistributionEdge, bucketOfDomain, compileFunction } from './distribution-edge';
