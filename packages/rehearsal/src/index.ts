export { main, parseCli, USAGE } from './main';
export { deployRehearsal } from './pipeline';
export { dockerEngineAnswers, NO_DOCKER_REASON } from './image';
export type { RehearsalOptions, RehearsalState } from './pipeline';
