import { describe, expect, it } from '@jest/globals';
import { errorLines } from '../src/run-log';

const ESC = String.fromCharCode(27);

describe('errorLines', () => {
  it('takes the error diagnostics of structured run output', () => {
    const log = [
      JSON.stringify({ '@level': 'info', '@message': 'Terraform 1.9.8' }),
      JSON.stringify({ '@level': 'error', '@message': 'Error: Unsupported argument', diagnostic: { detail: 'An argument named "colour" is not expected here.' } }),
    ].join('\n');
    expect(errorLines(log)).toEqual(['Error: Unsupported argument', 'An argument named "colour" is not expected here.']);
  });

  it('takes plain output from the first Error:, without colour codes', () => {
    const log = `Initializing...\n${ESC}[31m╷${ESC}[0m\n${ESC}[31m│${ESC}[0m ${ESC}[1m${ESC}[31mError: ${ESC}[0mInvalid reference\n│ \n│   on main.tf line 3\n╵\n`;
    expect(errorLines(log)).toEqual(['│ Error: Invalid reference', '│', '│   on main.tf line 3', '╵']);
  });

  it('falls back to the tail of the log, and clips long logs', () => {
    const log = Array.from({ length: 100 }, (_, index) => `line ${index}`).join('\n');
    const lines = errorLines(log, 5);
    expect(lines).toEqual(['line 95', 'line 96', 'line 97', 'line 98', 'line 99']);
    expect(errorLines('Error: a\n' + 'x\n'.repeat(40), 3)).toEqual(['Error: a', 'x', 'x', '… (38 more lines in the run\'s log)']);
  });
});
