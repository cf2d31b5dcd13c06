import { describe, expect, it } from '@jest/globals';
import type { ServerMessage } from '../src/session';
import { runProblems, webSocketTarget } from '../src/websocket';

describe('webSocketTarget', () => {
  it('uses wss for https and carries the token as a subprotocol, like the browser app', () => {
    expect(webSocketTarget(new URL('https://d111.cloudfront.net/'), 'nb1', 'tok-123_x.y~')).toEqual({
      url: new URL('wss://d111.cloudfront.net/api/ws/notebooks/nb1'),
      protocols: ['notebook', 'bearer.tok-123_x.y~'],
      path: '/api/ws/notebooks/nb1',
    });
    expect(webSocketTarget(new URL('http://127.0.0.1:8000/base/'), 'nb1', '')).toEqual({
      url: new URL('ws://127.0.0.1:8000/base/api/ws/notebooks/nb1'),
      protocols: ['notebook'],
      path: '/base/api/ws/notebooks/nb1',
    });
  });

  it('moves a token that is not a valid subprotocol (base64 with / and =) to the query, never into the path', () => {
    const target = webSocketTarget(new URL('https://d111.cloudfront.net/'), 'nb1', 'a/b+c==');
    expect(target.url.searchParams.get('token')).toBe('a/b+c==');
    expect(target.protocols).toEqual(['notebook']);
    expect(target.path).toBe('/api/ws/notebooks/nb1');
  });
});

type Status = Extract<ServerMessage, { type: 'cell_status' }>['status'];
let seq = 0;
const status = (cell: string, value: Status): ServerMessage => ({
  type: 'cell_status',
  seq: ++seq,
  cell_id: cell,
  status: value,
  stale: false,
  ran_revision: null,
  blocked_by: null,
  duration: null,
});
const stdout = (cell: string, text: string): ServerMessage => ({ type: 'cell_stdout', seq: ++seq, cell_id: cell, stream: 'stdout', text });
const textOutput = (cell: string, text: string): ServerMessage => ({
  type: 'cell_output',
  seq: ++seq,
  cell_id: cell,
  outputs: [{ kind: 'text', text, truncated: false }],
});
const GOOD: ServerMessage[] = [
  status('a', 'queued'),
  status('b', 'queued'),
  status('a', 'running'),
  status('a', 'success'),
  status('b', 'running'),
  stdout('b', '4'),
  stdout('b', '3\n'),
  textOutput('b', '43'),
  status('b', 'success'),
];

describe('runProblems', () => {
  it('accepts the documented order, with streamed output in pieces', () => {
    expect(runProblems(GOOD, 'a', 'b')).toEqual([]);
  });

  it('names what is missing or out of order', () => {
    const bad: ServerMessage[] = [
      status('b', 'running'),
      status('a', 'running'),
      status('a', 'success'),
      stdout('b', '42\n'),
      status('b', 'success'),
      textOutput('b', '43'),
    ];
    expect(runProblems(bad, 'a', 'b')).toEqual([
      'the dependent cell did not start after the first cell succeeded',
      'the dependent cell printed "42\\n", expected "43\\n"',
      "the dependent cell's output came after its success status",
    ]);
    expect(runProblems([status('b', 'running'), status('b', 'success')], 'a', 'b')).toEqual([
      'no running → success statuses for the first cell',
      'the dependent cell did not start after the first cell succeeded',
      'the dependent cell printed "", expected "43\\n"',
      "the dependent cell's output is [], expected the text 43",
    ]);
  });
});
