import type { Kit } from './kit.d.mts';
import type { Service, Supervisor } from './processes.d.mts';

export function dockerEngineAnswers(): boolean;
export function emulatorEnvironment(options: {
  moto: { env: Record<string, string> };
  fakeEcs: { endpoint: string };
  region: string;
  workDir: string;
}): Record<string, string>;
export const NO_DOCKER_REASON: string;
export interface RehearsalState {
  version: string;
  appUrl?: string;
  accessToken?: string;
  image?: string;
  outputs?: Record<string, string>;
  task?: Service & { url: string; tail: () => string };
  [key: string]: unknown;
}
export function deployStages(options: {
  kit: Kit;
  supervisor: Supervisor;
  log: (line: string) => void;
  edgePort: number;
  version: string;
  workDir: string;
  docker?: () => boolean;
  onAppOutput?: (chunk: string) => void;
}): { state: RehearsalState; run: Record<'infra' | 'image' | 'backend' | 'frontend' | 'smoke', () => Promise<unknown> | unknown> };
