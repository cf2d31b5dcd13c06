export * from './model';
export { evaluateCondition, evaluateMap, evaluateValue, RUNNING, type Contexts, type RunStatus } from './expressions';
export * from './run';
