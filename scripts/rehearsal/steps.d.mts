import type { Kit } from './kit.d.mts';
import type { Supervisor } from './processes.d.mts';

export class StepError extends Error {}
export function runActionStep(
  kit: Pick<Kit, 'runActionBundle' | 'parseWorkflowCommands'>,
  step: {
    action: string;
    inputs: Record<string, string>;
    env: Record<string, string>;
    timeoutMinutes: number;
    supervisor: Supervisor;
    print: (line: string) => void;
    cwd?: string;
    entry?: string;
  },
): Promise<Record<string, string>>;
