import type { Io } from '../io';

export interface RecordedIo extends Io {
  readonly infos: string[];
  readonly warnings: string[];
  readonly debugs: string[];
  readonly secrets: string[];
}

/** An `Io` that keeps what an action's code said, for tests of that code without a runner. */
export function recordingIo(): RecordedIo {
  const infos: string[] = [];
  const warnings: string[] = [];
  const debugs: string[] = [];
  const secrets: string[] = [];
  return {
    infos,
    warnings,
    debugs,
    secrets,
    info: (line) => void infos.push(line),
    warning: (line) => void warnings.push(line),
    debug: (line) => void debugs.push(line),
    secret: (value) => void secrets.push(value),
  };
}
