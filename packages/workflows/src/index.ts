export * from './model';
export { evaluateCondition, evaluateMap, evaluateValue, type Contexts } from './expressions';
