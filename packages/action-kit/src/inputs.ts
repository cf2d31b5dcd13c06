import * as core from '@actions/core';
import { formatDuration, parseDuration } from './duration';
import { ConfigurationError } from './errors';

// Typed readers over `core.getInput`: every error names the input, what it got and what it accepts,
// because the user only sees the message and must fix the workflow file from it.

function raw(name: string): string {
  return core.getInput(name, { trimWhitespace: true });
}

function invalid(name: string, value: string, accepted: string): ConfigurationError {
  return new ConfigurationError(`Input "${name}" must be ${accepted}; got "${value}".`);
}

export function requiredInput(name: string): string {
  const value = raw(name);
  if (!value) throw new ConfigurationError(`Input "${name}" is required: set it in the step's "with:" block.`);
  return value;
}

export function optionalInput(name: string, fallback = ''): string {
  return raw(name) || fallback;
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

export function booleanInput(name: string, fallback: boolean): boolean {
  const value = raw(name);
  if (!value) return fallback;
  const lower = value.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw invalid(name, value, 'true or false');
}

export interface IntegerOptions {
  fallback: number;
  min?: number;
  max?: number;
}

export function integerInput(name: string, { fallback, min, max }: IntegerOptions): number {
  const value = raw(name);
  if (!value) return fallback;
  const range = describeRange(min, max, String);
  if (!/^-?\d+$/.test(value)) throw invalid(name, value, `a whole number${range}`);
  const number = Number(value);
  if ((min !== undefined && number < min) || (max !== undefined && number > max)) {
    throw invalid(name, value, `a whole number${range}`);
  }
  return number;
}

export function enumInput<T extends string>(name: string, accepted: readonly T[], fallback: T): T {
  const value = raw(name);
  if (!value) return fallback;
  const match = accepted.find((option) => option.toLowerCase() === value.toLowerCase());
  if (!match) throw invalid(name, value, `one of ${accepted.map((option) => `"${option}"`).join(', ')}`);
  return match;
}

export interface ListOptions {
  /** Also split on commas (not for values that may contain commas, like build args). */
  commas?: boolean;
}

export function listInput(name: string, { commas = false }: ListOptions = {}): string[] {
  const separator = commas ? /[\n,]/ : /\n/;
  return raw(name)
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** `KEY=value` lines, as used for container environment and build args. Later keys win. */
export function keyValueInput(name: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of listInput(name)) {
    const separator = line.indexOf('=');
    const key = separator > 0 ? line.slice(0, separator).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
      throw invalid(name, line, 'lines of KEY=value (KEY of letters, digits and _ . -, not starting with a digit)');
    }
    entries.set(key, line.slice(separator + 1));
  }
  return entries;
}

export interface DurationOptions {
  /** Milliseconds. */
  fallback: number;
  min?: number;
  max?: number;
}

/** A duration in milliseconds from `90s`, `15m`, `1h30m`, `250ms` or a bare number of seconds. */
export function durationInput(name: string, { fallback, min, max }: DurationOptions): number {
  const value = raw(name);
  if (!value) return fallback;
  const accepted = `a duration such as 30s, 15m or 1h30m (a bare number means seconds)${describeRange(min, max, formatDuration)}`;
  const ms = parseDuration(value);
  if (ms === undefined) throw invalid(name, value, accepted);
  if ((min !== undefined && ms < min) || (max !== undefined && ms > max)) throw invalid(name, value, accepted);
  return ms;
}

function describeRange(min: number | undefined, max: number | undefined, show: (n: number) => string): string {
  if (min !== undefined && max !== undefined) return ` from ${show(min)} to ${show(max)}`;
  if (min !== undefined) return ` of at least ${show(min)}`;
  if (max !== undefined) return ` of at most ${show(max)}`;
  return '';
}
