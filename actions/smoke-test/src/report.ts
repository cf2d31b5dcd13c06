import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDuration, keyValueTable, markdownTable, type Outputs } from '@notebook-ship/action-kit';
import type { SmokeConfig } from './inputs';
import type { CheckResult, CheckStatus } from './run-checks';
import type { SmokeOutcome } from './smoke';

/** The JSON report (the `report` output): what a later step or a person needs to see what was proven. */
export interface SmokeReport {
  passed: boolean;
  url: string;
  apiUrl: string;
  expectedVersion: string | null;
  /** What /health reported. */
  version: string | null;
  startedAt: string;
  durationMs: number;
  checks: CheckResult[];
}

export function buildReport(config: SmokeConfig, outcome: SmokeOutcome, startedAt: Date, finishedAt: Date): SmokeReport {
  // Details quote answers and URLs; whatever path a token took into one, it does not reach the file.
  const redact = (text: string) => (config.token ? text.split(config.token).join('***') : text);
  const checks = outcome.results.map((result) => ({ ...result, detail: redact(result.detail) }));
  return {
    passed: checks.every((check) => check.status === 'passed'),
    url: config.url.href,
    apiUrl: config.apiUrl.href,
    expectedVersion: config.expectedVersion || null,
    version: outcome.version ?? null,
    startedAt: startedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    checks,
  };
}

/** `<RUNNER_TEMP>/smoke-test-<step>.json`: one file per step, so two smoke tests in a job keep both reports. */
export async function writeReport(report: SmokeReport, directory: string, step: string | undefined): Promise<string> {
  const name = (step ?? '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-_.]+/, '') || 'report';
  await mkdir(directory, { recursive: true });
  const path = join(directory, `smoke-test-${name}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/** The outputs action.yml declares. */
export type OutputName = 'passed' | 'report' | 'failed-checks';

/** The step's outputs, given where the JSON report was written. */
export function reportOutputs(report: SmokeReport, path: string): Outputs<OutputName> {
  return {
    passed: String(report.passed),
    report: path,
    'failed-checks': failedChecks(report).map((check) => check.name).join(','),
  };
}

export function failedChecks(report: SmokeReport): CheckResult[] {
  return report.checks.filter((check) => check.status === 'failed');
}

const ICON: Record<CheckStatus, string> = { passed: '✅ passed', failed: '❌ failed', skipped: '⏭️ skipped' };

export function renderSummary(report: SmokeReport): string {
  const failed = failedChecks(report);
  const title = report.passed
    ? `## ✅ Smoke test passed: ${report.url}`
    : `## ❌ Smoke test failed: ${failed.map((check) => check.name).join(', ') || 'checks skipped'} (${report.url})`;
  const versions = report.expectedVersion ? `${report.version ?? 'not reported'} (expected ${report.expectedVersion})` : report.version ?? '';
  return [
    title,
    keyValueTable([
      ['URL', report.url],
      ['API URL', report.apiUrl === report.url ? '' : report.apiUrl],
      ['Version', versions],
      ['Duration', formatDuration(report.durationMs)],
    ]),
    markdownTable(
      ['Check', 'Result', 'Time', 'Detail'],
      report.checks.map((check) => [`\`${check.name}\``, ICON[check.status], check.status === 'skipped' ? '' : formatDuration(check.durationMs), check.detail]),
    ),
    '',
  ].join('\n\n');
}

/** The step's failure: which checks, and where the details are. */
export function failureMessage(report: SmokeReport, path: string): string {
  const failed = failedChecks(report).map((check) => check.name);
  const skipped = report.checks.filter((check) => check.status === 'skipped').map((check) => check.name);
  const notRun = skipped.length ? ` (not run: ${skipped.join(', ')})` : '';
  return `Smoke test of ${report.url} failed: ${failed.join(', ') || 'cancelled'}${notRun}. Each failure is annotated above; the job summary and ${path} have every check.`;
}
