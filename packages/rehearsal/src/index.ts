export { main, parseCli, USAGE } from './main';
export { deployRehearsal, dockerEngineAnswers, NO_DOCKER_REASON } from './pipeline';
export type { RehearsalOptions, RehearsalState } from './pipeline';
