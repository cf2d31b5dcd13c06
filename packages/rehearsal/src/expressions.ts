// GitHub Actions expressions, evaluated by GitHub's own implementation (@actions/expressions) so that the rehearsal
// reads deploy.yml exactly as the runner does: `${{ }}` segments in a value, with the contexts a job sees.
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';

/** Context name (github, needs, inputs, steps, jobs, vars...) to its plain JSON value. */
export type Contexts = Record<string, unknown>;

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

function evaluate(expression: string, contexts: Contexts): data.ExpressionData {
  const { tokens } = new Lexer(expression).lex();
  const tree = new Parser(tokens, Object.keys(contexts), []).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(tree, context).evaluate();
}

/**
 * A `with:` (or `outputs:`) value as the runner passes it on: a string with every `${{ }}` replaced by its value,
 * coerced to a string as inputs are. Non-string YAML scalars become their text.
 */
export function evaluateValue(value: unknown, contexts: Contexts): string {
  if (typeof value !== 'string') return value === undefined || value === null ? '' : String(value);
  const whole = /^\s*\$\{\{((?:(?!\}\})[\s\S])*)\}\}\s*$/.exec(value);
  if (whole) return evaluate(whole[1] as string, contexts).coerceString();
  return value.replace(TEMPLATE, (_, expression: string) => evaluate(expression, contexts).coerceString());
}

/** Every value of a `with:` or `outputs:` map, evaluated. */
export function evaluateMap(values: Record<string, unknown> | undefined, contexts: Contexts): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([name, value]) => [name, evaluateValue(value, contexts)]));
}
