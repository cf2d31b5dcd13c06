// GitHub Actions expressions, evaluated by GitHub's own implementation (@actions/expressions) so that the rehearsal
// reads deploy.yml exactly as the runner does: `${{ }}` segments in a value, with the contexts a job sees.
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';

/** Context name (github, needs, inputs, steps, jobs, vars...) to its plain JSON value. */
export type Contexts = Record<string, unknown>;

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;
/** A value that is one `${{ }}` and nothing else (two with text between them are a template). */
const ONE_EXPRESSION = /^\s*\$\{\{((?:(?!\}\})[\s\S])*)\}\}\s*$/;

/**
 * The job status functions of `if:` conditions, as they answer in a run that is still going: a rehearsal stops at the
 * first failure, so every step before the current one succeeded and nothing was cancelled.
 */
const status = (name: string, value: boolean): FunctionDefinition => ({
  name,
  minArgs: 0,
  maxArgs: 0,
  call: () => new data.BooleanData(value),
});
const STATUS_FUNCTIONS = [status('success', true), status('always', true), status('failure', false), status('cancelled', false)];

function evaluate(expression: string, contexts: Contexts): data.ExpressionData {
  const { tokens } = new Lexer(expression).lex();
  const tree = new Parser(tokens, Object.keys(contexts), STATUS_FUNCTIONS).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(tree, context, new Map(STATUS_FUNCTIONS.map((fn) => [fn.name, fn]))).evaluate();
}

/** An `if:` condition (with or without `${{ }}`), as the runner judges it. */
export function evaluateCondition(condition: unknown, contexts: Contexts): boolean {
  if (typeof condition === 'boolean') return condition;
  const text = String(condition).trim();
  const whole = ONE_EXPRESSION.exec(text);
  return truthy(evaluate(whole ? (whole[1] as string) : text, contexts));
}

/**
 * A `with:` (or `outputs:`) value as the runner passes it on: a string with every `${{ }}` replaced by its value,
 * coerced to a string as inputs are. Non-string YAML scalars become their text.
 */
export function evaluateValue(value: unknown, contexts: Contexts): string {
  if (typeof value !== 'string') return value === undefined || value === null ? '' : String(value);
  const whole = ONE_EXPRESSION.exec(value);
  if (whole) return evaluate(whole[1] as string, contexts).coerceString();
  return value.replace(TEMPLATE, (_, expression: string) => evaluate(expression, contexts).coerceString());
}

/** Every value of a `with:` or `outputs:` map, evaluated. */
export function evaluateMap(values: Record<string, unknown> | undefined, contexts: Contexts): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([name, value]) => [name, evaluateValue(value, contexts)]));
}
