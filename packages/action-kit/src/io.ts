import * as core from '@actions/core';

/**
 * Everything an action says to the runner besides its summary: log lines, warnings, masked secrets and step outputs.
 * Only an action's `main.ts` creates the runner's one (`runnerIo`); the rest of its code receives an `Io`, so it can be
 * tested by recording what it says (`recordingIo` in `/testing`).
 */
export interface Io {
  info(line: string): void;
  warning(line: string): void;
  debug(line: string): void;
  /** Masks `value` in every later log line; call it before the value could be printed. */
  secret(value: string): void;
}

/** An action's outputs: every name its action.yml declares, each written once, after the work is done. */
export type Outputs<Name extends string = string> = Readonly<Record<Name, string | number | boolean>>;

export const runnerIo: Io = {
  info: (line) => core.info(line),
  warning: (line) => core.warning(line),
  debug: (line) => core.debug(line),
  secret: (value) => core.setSecret(value),
};

/** Writes an action's outputs map to the runner (GITHUB_OUTPUT). */
export function writeOutputs(outputs: Outputs): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}
