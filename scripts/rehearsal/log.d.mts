import type { WorkflowCommand } from '../../packages/action-kit/src/testing/file-commands';

export interface LogRenderer {
  stream(): { write(chunk: string): void; end(): void };
  mask(text: string): string;
}
export function createLogRenderer(
  parse: (stdout: string) => WorkflowCommand[],
  print: (line: string) => void,
  options?: { indent?: string },
): LogRenderer;
