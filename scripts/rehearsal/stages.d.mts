import type { Outcome } from '../lib/phases.d.mts';

export interface Stage {
  name: string;
  title?: string;
  run: () => unknown;
}
export const skipped: (reason: string) => { skipped: string };
export function runStages(
  stages: Stage[],
  options?: { log?: (line: string) => void; now?: () => number; cancelled?: () => string | undefined },
): Promise<{ ok: boolean; outcomes: Outcome[]; failed?: { stage: string; error: unknown } }>;
