import { inputVariable } from './runner';

/** The test framework's per-test hooks (jest's from @jest/globals), passed in so this module loads outside jest. */
export interface TestHooks {
  beforeEach: (fn: () => void) => void;
  afterEach: (fn: () => void) => void;
}

/** Sets action inputs, by their action.yml name, as INPUT_<NAME> variables; `undefined` unsets one. */
export type SetInputs = (inputs: Record<string, string | undefined>) => void;

/**
 * Inputs for in-process tests of code that reads them from process.env (through @actions/core), as on a runner.
 * Each test starts with no INPUT_ variable but `defaults`; calls within a test add to or override the inputs
 * already set; after each test every INPUT_ variable is back as it was before the test.
 */
export function useInputs({ beforeEach, afterEach }: TestHooks, defaults: Record<string, string> = {}): SetInputs {
  const setInputs: SetInputs = (inputs) => {
    for (const [name, value] of Object.entries(inputs)) {
      if (value === undefined) delete process.env[inputVariable(name)];
      else process.env[inputVariable(name)] = value;
    }
  };
  let saved: Record<string, string> = {};
  beforeEach(() => {
    saved = takeInputVariables();
    setInputs(defaults);
  });
  afterEach(() => {
    takeInputVariables();
    Object.assign(process.env, saved);
  });
  return setInputs;
}

/** Removes every INPUT_ variable from process.env and returns them. */
function takeInputVariables(): Record<string, string> {
  const taken: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('INPUT_') || value === undefined) continue;
    taken[name] = value;
    delete process.env[name];
  }
  return taken;
}
