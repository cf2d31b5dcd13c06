export { runActionBundle, inputVariable } from './runner';
export type { RunOptions, RunResult } from './runner';
export { useInputs } from './inputs';
export type { SetInputs, TestHooks } from './inputs';
export { parseFileCommand, parseWorkflowCommands } from './file-commands';
export type { WorkflowCommand } from './file-commands';
export { recordingIo } from './io';
export type { RecordedIo } from './io';
