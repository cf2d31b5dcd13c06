export interface Phase {
  name: string;
  run: () => unknown;
  unavailable?: () => string | undefined;
  fatal?: boolean;
}
export interface Outcome {
  name: string;
  result: 'passed' | 'failed' | 'skipped';
  seconds: number;
  detail?: string;
}
export function runPhases(
  phases: Phase[],
  options?: { ci?: boolean; log?: (line: string) => void; now?: () => number },
): Promise<{ outcomes: Outcome[]; ok: boolean }>;
export function formatTable(outcomes: Outcome[], noun?: string): string;
