export { runActionBundle, inputVariable } from './runner';
export type { RunOptions, RunResult } from './runner';
export { parseFileCommand, parseWorkflowCommands } from './file-commands';
export type { WorkflowCommand } from './file-commands';
