export { startMoto, findMotoServer, freePort } from './moto';
export type { Moto, MotoOptions } from './moto';
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
export { localTaskRunner } from './task-runner';
export type { ContainerExit, ContainerLaunch, ContainerProcess, LocalTaskRunnerOptions, TaskRunner } from './task-runner';
export { containerEnvironment } from './container-environment';
export { startEdge, matchesPathPattern, behaviourFor } from './edge';
export type { Edge, EdgeBehaviour, EdgeOptions, OriginResponse, SiteOrigin, ViewerRequest } from './edge';
export { bucketOrigin } from './bucket-origin';
export { startDistributionEdge, bucketOfDomain, compileFunction } from './distribution-edge';
export { startLocalAws } from './local-aws';
export type { LocalAws, LocalAwsOptions } from './local-aws';
export type { FunctionStage } from './cloudfront-functions';
export { terraformOverride, TERRAFORM_SERVICES } from './terraform-override';
