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

/** What the status functions of an `if:` answer: how the steps (or, for a job, the jobs it needs) went. */
export interface RunStatus {
  succeeded: boolean;
  failed: boolean;
  cancelled: boolean;
}

/** A run still going: a rehearsal stops at its first failure, so everything before succeeded. */
export const RUNNING: RunStatus = { succeeded: true, failed: false, cancelled: false };

const status = (name: string, value: boolean): FunctionDefinition => ({
  name,
  minArgs: 0,
  maxArgs: 0,
  call: () => new data.BooleanData(value),
});
const statusFunctions = (run: RunStatus) => [
  status('success', run.succeeded && !run.cancelled),
  status('always', true),
  status('failure', run.failed),
  status('cancelled', run.cancelled),
];
const STATUS_CALL = /\b(success|failure|always|cancelled)\s*\(\s*\)/;

function evaluate(expression: string, contexts: Contexts, run: RunStatus = RUNNING): data.ExpressionData {
  const functions = statusFunctions(run);
  const { tokens } = new Lexer(expression).lex();
  const tree = new Parser(tokens, Object.keys(contexts), functions).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(tree, context, new Map(functions.map((fn) => [fn.name, fn]))).evaluate();
}

/**
 * An `if:` condition (with or without `${{ }}`), as the runner judges it: one that calls no status function is
 * `success() && (condition)`.
 */
export function evaluateCondition(condition: unknown, contexts: Contexts, run: RunStatus = RUNNING): boolean {
  const text = typeof condition === 'boolean' ? String(condition) : String(condition).trim();
  const whole = ONE_EXPRESSION.exec(text);
  const expression = whole ? (whole[1] as string) : text;
  return truthy(evaluate(STATUS_CALL.test(expression) ? expression : `success() && (${expression})`, contexts, run));
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
