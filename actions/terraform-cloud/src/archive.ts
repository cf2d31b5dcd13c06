import ignore, { type Ignore } from 'ignore';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { create } from 'tar';
import { ConfigurationError } from '@notebook-ship/action-kit';

/**
 * What Terraform itself leaves out of an upload before reading `.terraformignore`: the git directory and the
 * `.terraform` working directory, except the modules it installed.
 */
const DEFAULT_RULES = ['.git/', '.terraform/*', '!.terraform/modules/'];

export interface Archive {
  data: Buffer;
  /** Paths in the archive (directories end with `/`), in archive order. */
  entries: string[];
}

/** Packs `directory` as the tar.gz HCP Terraform expects, honouring a `.terraformignore` at its root. */
export async function packDirectory(directory: string): Promise<Archive> {
  if (!existsSync(directory) || !(await stat(directory)).isDirectory()) {
    throw new ConfigurationError(
      `Input "directory" must be the folder with the Terraform configuration; "${directory}" is not a directory.`,
    );
  }
  const rules = ignore().add(DEFAULT_RULES);
  const ignoreFile = join(directory, '.terraformignore');
  if (existsSync(ignoreFile)) rules.add(await readFile(ignoreFile, 'utf8'));
  const entries = await collect(directory, '', rules);
  if (!entries.some((entry) => /\.tf(\.json)?$/.test(entry))) {
    throw new ConfigurationError(`"${directory}" holds no .tf files to upload (after .terraformignore).`);
  }
  const stream = create({ gzip: true, cwd: directory, portable: true, noDirRecurse: true }, entries);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return { data: Buffer.concat(chunks), entries };
}

/** Depth-first, sorted, so the same tree always packs the same way; an ignored directory is not descended. */
async function collect(root: string, prefix: string, rules: Ignore): Promise<string[]> {
  const found: string[] = [];
  const children = await readdir(join(root, prefix), { withFileTypes: true });
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of children) {
    const path = `${prefix}${child.name}`;
    if (child.isDirectory()) {
      if (rules.ignores(`${path}/`)) continue;
      found.push(`${path}/`, ...(await collect(root, `${path}/`, rules)));
    } else if (!rules.ignores(path)) {
      found.push(path);
    }
  }
  return found;
}
