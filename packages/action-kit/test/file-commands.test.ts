import { describe, expect, it } from '@jest/globals';
import { inputVariable, parseFileCommand, parseWorkflowCommands } from '../src/testing/index';

describe('inputVariable', () => {
  it('upper-cases, turns spaces into underscores and keeps hyphens, like the runner', () => {
    expect(inputVariable('task-definition-arn')).toBe('INPUT_TASK-DEFINITION-ARN');
    expect(inputVariable('my input')).toBe('INPUT_MY_INPUT');
  });
});

describe('parseFileCommand', () => {
  it('reads single-line and heredoc values', () => {
    const text = 'a=1\nb<<ghadelimiter_x\nline 1\nline=2\n\nghadelimiter_x\nc=x=y\nempty=\n';
    expect(parseFileCommand(text)).toEqual({ a: '1', b: 'line 1\nline=2\n', c: 'x=y', empty: '' });
  });
  it('accepts CRLF line ends', () => {
    expect(parseFileCommand('a=1\r\nb<<EOF\r\nx\r\nEOF\r\n')).toEqual({ a: '1', b: 'x\r' });
  });
  it('rejects an unterminated heredoc and a malformed line', () => {
    expect(() => parseFileCommand('b<<EOF\nx\n')).toThrow('Unterminated multi-line value "b"');
    expect(() => parseFileCommand('just text\n')).toThrow('Malformed file command line');
  });
});

describe('parseWorkflowCommands', () => {
  it('reads commands with properties and unescapes them', () => {
    const stdout = 'plain log\n::error title=Deploy%2C ECS,file=a%3Ab::line 1%0Aline 2 100%25\n::add-mask::secret\n';
    expect(parseWorkflowCommands(stdout)).toEqual([
      { command: 'error', properties: { title: 'Deploy, ECS', file: 'a:b' }, message: 'line 1\nline 2 100%' },
      { command: 'add-mask', properties: {}, message: 'secret' },
    ]);
  });
});
