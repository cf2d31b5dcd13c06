import { ConfigurationError, formatDuration } from '@notebook-ship/action-kit';
import type { Schema } from '@notebook-ship/api-schema';
import type { SmokeNotebook } from './api';
import { explainHandshake, probeHandshake } from './handshake';
import { REQUEST_TIMEOUT_MS, type Service } from './service';
import { HandshakeFailed, Session, type ServerMessage } from './session';

/** A cold task starts its kernel on the first run: allow for that, not for a hung service. */
export const RUN_TIMEOUT_MS = 60_000;
export const FAILING_CELL = '1 / 0';

// RFC 7230 token characters: what a subprotocol may hold. Other tokens go in the query string instead.
const SUBPROTOCOL_SAFE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface Target {
  url: URL;
  protocols: string[];
  /** For messages: never carries the token. */
  path: string;
}

/** The notebook's WebSocket address and how the token travels (a subprotocol, as the browser app sends it). */
export function webSocketTarget(base: URL, notebookId: string, token: string): Target {
  const url = new URL(`api/ws/notebooks/${encodeURIComponent(notebookId)}`, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const path = url.pathname;
  if (!token) return { url, protocols: ['notebook'], path };
  if (SUBPROTOCOL_SAFE.test(token)) return { url, protocols: ['notebook', `bearer.${token}`], path };
  url.searchParams.set('token', token);
  return { url, protocols: ['notebook'], path };
}

type CellStatus = Extract<ServerMessage, { type: 'cell_status' }>;

const isStatus = (message: ServerMessage, cellId: string, ...statuses: CellStatus['status'][]): message is CellStatus =>
  message.type === 'cell_status' && message.cell_id === cellId && statuses.includes(message.status);

/**
 * The `websocket` check: connects like the browser app, runs the first cell and sees its dependent re-run with the
 * expected print and value, then sees a failing cell report `cell_error` on a connection that stays open.
 */
export async function runCellsLive(service: Service, notebook: SmokeNotebook, token: string, signal: AbortSignal): Promise<string> {
  const target = webSocketTarget(service.base, notebook.id, token);
  const started = Date.now();
  let session: Session;
  try {
    session = await Session.open(target.url, target.protocols, REQUEST_TIMEOUT_MS, signal);
  } catch (error) {
    if (!(error instanceof HandshakeFailed)) throw error;
    const headers = { 'sec-websocket-protocol': target.protocols.join(', ') };
    const answer = await probeHandshake(target.url, headers, REQUEST_TIMEOUT_MS, signal);
    const found = answer.status === 404 ? await notebookFound(service, notebook.id) : undefined;
    throw new ConfigurationError(explainHandshake(target.path, answer, token !== '', found));
  }
  try {
    if (session.protocol !== 'notebook') {
      throw new ConfigurationError(
        `The WebSocket opened without the "notebook" subprotocol (got "${session.protocol}"): something between the runner ` +
          'and the service drops the Sec-WebSocket-Protocol header, which also carries the browser\'s token.',
      );
    }
    const snapshot = await session.waitFor('the snapshot', () => true, RUN_TIMEOUT_MS);
    if (snapshot.type !== 'snapshot') throw new ConfigurationError(`The first WebSocket message was ${snapshot.type}, not the snapshot.`);
    const firstSeq = session.lastSeq;

    const { first, second } = notebook;
    const mark = session.mark;
    session.send({ type: 'run_cell', cell_id: first });
    await session.waitFor(
      'the dependent cell to re-run',
      (message) => {
        const failed = [first, second].find((cell) => isStatus(message, cell, 'error', 'blocked', 'interrupted'));
        if (failed && message.type === 'cell_status') {
          throw new ConfigurationError(`Cell ${failed} ended ${message.status}: ${cellErrorText(session.received, failed)}`);
        }
        return isStatus(message, second, 'success');
      },
      RUN_TIMEOUT_MS,
    );
    const problems = runProblems(session.received.slice(mark), first, second);
    if (problems.length) throw new ConfigurationError(`Running the cells over the WebSocket: ${problems.join('; ')}.`);

    const failing = (await service.call('POST', `api/notebooks/${encodeURIComponent(notebook.id)}/cells`, {
      json: { type: 'python', code: FAILING_CELL },
      expect: [201],
    })) as Schema<'CellCreated'>;
    await session.waitFor('the cell_created message of a cell added through the API', (message) => {
      return message.type === 'cell_created' && message.cell?.id === failing.cell_id;
    }, RUN_TIMEOUT_MS);
    session.send({ type: 'run_cell', cell_id: failing.cell_id });
    const error = await session.waitFor(
      `the cell_error of "${FAILING_CELL}"`,
      (message): message is Extract<ServerMessage, { type: 'cell_error' }> => {
        if (isStatus(message, failing.cell_id, 'success')) throw new ConfigurationError(`"${FAILING_CELL}" succeeded: the cell did not really run.`);
        return message.type === 'cell_error' && message.cell_id === failing.cell_id;
      },
      RUN_TIMEOUT_MS,
    );
    const errorType: unknown = error.error?.type;
    if (errorType !== 'ZeroDivisionError') {
      throw new ConfigurationError(`"${FAILING_CELL}" reported ${typeof errorType === 'string' ? errorType : 'an error without a type'}, not ZeroDivisionError.`);
    }
    await session.waitFor(`the error status of "${FAILING_CELL}"`, (message) => isStatus(message, failing.cell_id, 'error'), RUN_TIMEOUT_MS);
    // The connection must still be usable after a failing cell: ask for a fresh snapshot.
    session.send({ type: 'sync' });
    await session.waitFor('the snapshot answering a sync after the failed cell', (message) => message.type === 'snapshot', RUN_TIMEOUT_MS);

    return (
      `x = 6*7 ran and y = x + 1 re-ran after it (printed and returned 43); "${FAILING_CELL}" gave cell_error ` +
      `ZeroDivisionError and the connection stayed open; ${session.received.length} messages, seq ${firstSeq} → ` +
      `${session.lastSeq} without gaps, in ${formatDuration(Date.now() - started)}`
    );
  } finally {
    await session.close();
  }
}

/** Whether the REST API finds the notebook: a 404 handshake means a missing notebook only if it does not. */
async function notebookFound(service: Service, notebookId: string): Promise<boolean | undefined> {
  const answer = await service.send('GET', `api/notebooks/${encodeURIComponent(notebookId)}`);
  return answer.status === 200 ? true : answer.status === 404 ? false : undefined;
}

/** What is wrong with the messages of the run of `first` and its dependent `second` (empty when all is right). */
export function runProblems(messages: readonly ServerMessage[], first: string, second: string): string[] {
  const problems: string[] = [];
  const index = (predicate: (message: ServerMessage) => boolean) => messages.findIndex(predicate);
  const firstRunning = index((message) => isStatus(message, first, 'running'));
  const firstDone = index((message) => isStatus(message, first, 'success'));
  const secondRunning = index((message) => isStatus(message, second, 'running'));
  const secondDone = index((message) => isStatus(message, second, 'success'));
  if (firstRunning < 0 || firstDone < firstRunning) problems.push('no running → success statuses for the first cell');
  if (firstDone < 0 || secondRunning < firstDone) problems.push('the dependent cell did not start after the first cell succeeded');
  const printed = messages
    .flatMap((message) => (message.type === 'cell_stdout' && message.cell_id === second ? [message.text] : []))
    .join('');
  if (printed !== '43\n') problems.push(`the dependent cell printed ${JSON.stringify(printed)}, expected "43\\n"`);
  const outputAt = index((message) => message.type === 'cell_output' && message.cell_id === second);
  const output = messages[outputAt];
  const outputs = output?.type === 'cell_output' ? (output.outputs ?? []) : [];
  const [value] = outputs;
  if (outputs.length !== 1 || value?.kind !== 'text' || value.text !== '43') {
    problems.push(`the dependent cell's output is ${JSON.stringify(outputs)}, expected the text 43`);
  } else if (outputAt > secondDone) {
    problems.push('the dependent cell\'s output came after its success status');
  }
  return problems;
}

function cellErrorText(messages: readonly ServerMessage[], cellId: string): string {
  const error = messages.findLast((message) => message.type === 'cell_error' && message.cell_id === cellId);
  const detail = error?.type === 'cell_error' ? error.error : undefined;
  return detail ? `${detail.type}: ${detail.message}` : 'no cell_error message';
}
