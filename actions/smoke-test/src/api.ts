import { ConfigurationError } from '@notebook-ship/action-kit';
import type { Schema } from '@notebook-ship/api-schema';
import type { Service } from './service';

/** Two cells where the second depends on the first: running the first must re-run the second. */
export const FIRST_CELL = 'x = 6*7';
export const SECOND_CELL = 'y = x + 1\nprint(y)\ny';

export interface SmokeNotebook {
  id: string;
  name: string;
  /** Defines x. */
  first: string;
  /** Reads x, defines y, prints and shows 43. */
  second: string;
}

type CellView = Pick<Schema<'Cell'>, 'id' | 'code' | 'defines' | 'references' | 'depends_on' | 'static_errors'>;

/** `smoke test owner/repo run 123.1`, or the time outside Actions: unique, and says where it came from. */
export function notebookName(env: NodeJS.ProcessEnv, now: Date): string {
  const run = env.GITHUB_RUN_ID ? ` run ${env.GITHUB_RUN_ID}.${env.GITHUB_RUN_ATTEMPT ?? '1'}` : '';
  const where = env.GITHUB_REPOSITORY ? ` ${env.GITHUB_REPOSITORY}` : '';
  return `smoke test${where}${run} ${now.toISOString()}`.slice(0, 200);
}

/**
 * The `api` check: creates the notebook and its two cells, and reads them back with the dependency analysis.
 * `created` is called as soon as the notebook exists, so cleanup deletes it whatever fails next.
 */
export async function createSmokeNotebook(service: Service, name: string, created: (id: string) => void): Promise<SmokeNotebook> {
  const { notebook_id: id } = (await service.call('POST', 'api/notebooks', { json: { name }, expect: [201] })) as Schema<'NotebookCreated'>;
  if (typeof id !== 'string' || !id) throw new ConfigurationError(`POST /api/notebooks answered without a notebook_id.`);
  created(id);
  const cells = `api/notebooks/${encodeURIComponent(id)}/cells`;
  const add = async (code: string) =>
    ((await service.call('POST', cells, { json: { type: 'python', code }, expect: [201] })) as Schema<'CellCreated'>).cell_id;
  const first = await add(FIRST_CELL);
  const second = await add(SECOND_CELL);

  const notebook = (await service.call('GET', `api/notebooks/${encodeURIComponent(id)}`, { expect: [200] })) as Partial<Schema<'Notebook'>>;
  const problems = readBackProblems(notebook.cells ?? [], first, second);
  if (problems.length) {
    throw new ConfigurationError(`Notebook ${id} read back wrong: ${problems.join('; ')}. Is the deployed service the build you expect?`);
  }
  const list = (await service.call('GET', 'api/notebooks', { expect: [200] })) as Partial<Schema<'NotebookList'>>;
  const listed = list.notebooks?.find((summary) => summary.id === id);
  if (listed?.cell_count !== 2) {
    throw new ConfigurationError(
      `GET /api/notebooks ${listed ? `lists notebook ${id} with ${listed.cell_count} cells, expected 2` : `does not list the new notebook ${id}`}.`,
    );
  }
  return { id, name, first, second };
}

/** What differs between the cells read back and the ones written (empty when they match). */
export function readBackProblems(cells: readonly CellView[], first: string, second: string): string[] {
  const problems: string[] = [];
  const ids = cells.map((cell) => cell.id);
  if (ids.join() !== [first, second].join()) return [`cells [${ids.join(', ')}], expected [${first}, ${second}]`];
  const [a, b] = cells as [CellView, CellView];
  const expect = (what: string, actual: unknown, expected: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(`${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    }
  };
  expect('the first cell\'s code', a.code, FIRST_CELL);
  expect('the second cell\'s code', b.code, SECOND_CELL);
  expect('the first cell\'s defines', a.defines, ['x']);
  expect('the first cell\'s depends_on', a.depends_on, []);
  expect('the second cell\'s defines', b.defines, ['y']);
  expect('the second cell\'s references', b.references, ['x']);
  expect('the second cell\'s depends_on', b.depends_on, [first]);
  for (const cell of [a, b]) if (cell.static_errors?.length) expect(`cell ${cell.id}'s static_errors`, cell.static_errors, []);
  return problems;
}
