// Loads every .tf file of terraform/ and of its local modules (modules/<name>/) through HashiCorp's HCL-to-JSON
// parser into one model per module the structural tests assert on. Expressions stay as Terraform writes them in JSON
// ("${var.name}"); literals are real JSON values.
import { parse } from '@cdktf/hcl2json';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Block = { [key: string]: Json };

export const terraformDir = fileURLToPath(new URL('..', import.meta.url));

/** The provider lock `terraform init` writes beside the configuration; committed, so every run installs the same build. */
export const LOCK_FILE = '.terraform.lock.hcl';

/** Where the local modules live, relative to terraform/; a module's files are keyed "modules/<name>/<file>". */
export const MODULES_DIR = 'modules';

export interface Config {
  /** File name → text, as loaded (the .tf files and the lock file; a local module's under modules/<name>/). */
  files: Map<string, string>;
  /** Provider address (registry.terraform.io/hashicorp/aws) → its entry in the lock file. */
  locks: Map<string, Block>;
  /** "type.name" → body, for each kind of labelled block. */
  resources: Map<string, Block>;
  data: Map<string, Block>;
  ephemeral: Map<string, Block>;
  /** name → body. */
  variables: Map<string, Block>;
  outputs: Map<string, Block>;
  providers: Map<string, Block>;
  locals: Block;
  terraform: Block[];
  /** Module call name → its body (source and inputs). */
  modules: Map<string, Block>;
  /** The moved blocks, in file order, each with its file. */
  moved: { from: string; to: string; file: string }[];
  /** Local module source ("./modules/<name>") → that module's own configuration. */
  localModules: Map<string, Config>;
  /** "resource.type.name", "data.type.name", "variable.name", "output.name", "provider.name", "module.name", "locals.name" → file. */
  fileOf: Map<string, string>;
}

export function readTerraformFiles(): Map<string, string> {
  const names = readdirSync(terraformDir).filter((name) => name.endsWith('.tf') || name === LOCK_FILE);
  const modulesDir = join(terraformDir, MODULES_DIR);
  const modules = existsSync(modulesDir) ? readdirSync(modulesDir).sort() : [];
  const moduleFiles = modules.flatMap((module) =>
    readdirSync(join(modulesDir, module))
      .filter((name) => name.endsWith('.tf'))
      .map((name) => `${MODULES_DIR}/${module}/${name}`),
  );
  return new Map(
    [...names.sort(), ...moduleFiles.sort()].map((name) => [name, readFileSync(join(terraformDir, name), 'utf8')]),
  );
}

/** The root configuration, with each local module (the files under modules/<name>/) loaded as a configuration of its own. */
export async function loadConfig(files: Map<string, string> = readTerraformFiles()): Promise<Config> {
  const root = new Map([...files].filter(([name]) => !name.includes('/')));
  const config = await loadModule(root);
  const bySource = new Map<string, Map<string, string>>();
  for (const [name, text] of files) {
    const match = new RegExp(`^${MODULES_DIR}/([^/]+)/([^/]+)$`).exec(name);
    if (!match) {
      if (name.includes('/')) throw new Error(`${name}: not a file of terraform/ or of a module under ${MODULES_DIR}/`);
      continue;
    }
    const source = `./${MODULES_DIR}/${match[1]}`;
    if (!bySource.has(source)) bySource.set(source, new Map());
    bySource.get(source)?.set(match[2] as string, text);
  }
  for (const [source, moduleFiles] of bySource) config.localModules.set(source, await loadModule(moduleFiles));
  return config;
}

/** One module's files (names without their directory) parsed into its model. */
async function loadModule(files: Map<string, string>): Promise<Config> {
  const config: Config = {
    files,
    locks: new Map(),
    resources: new Map(),
    data: new Map(),
    ephemeral: new Map(),
    variables: new Map(),
    outputs: new Map(),
    providers: new Map(),
    locals: {},
    terraform: [],
    modules: new Map(),
    moved: [],
    localModules: new Map(),
    fileOf: new Map(),
  };
  const typed = { resource: config.resources, data: config.data, ephemeral: config.ephemeral } as const;
  const named = {
    variable: config.variables,
    output: config.outputs,
    provider: config.providers,
    module: config.modules,
  } as const;

  for (const [file, text] of files) {
    const parsed = (await parse(file, text)) as Record<string, Json>;
    if (file === LOCK_FILE) {
      for (const [address, bodies] of Object.entries(object(parsed.provider ?? {}))) {
        add(config.locks, address, only(bodies), `lock.${address}`, file);
      }
      continue;
    }
    for (const [kind, value] of Object.entries(parsed)) {
      if (kind in typed) {
        for (const [type, byName] of Object.entries(object(value))) {
          for (const [name, bodies] of Object.entries(object(byName))) {
            add(typed[kind as keyof typeof typed], `${type}.${name}`, only(bodies), `${kind}.${type}.${name}`, file);
          }
        }
      } else if (kind in named) {
        for (const [name, bodies] of Object.entries(object(value))) {
          add(named[kind as keyof typeof named], name, only(bodies), `${kind}.${name}`, file);
        }
      } else if (kind === 'locals') {
        for (const locals of list(value)) {
          for (const [name, local] of Object.entries(object(locals))) {
            config.locals[name] = local;
            config.fileOf.set(`locals.${name}`, file);
          }
        }
      } else if (kind === 'moved') {
        for (const moved of list(value).map(object)) {
          config.moved.push({ from: reference(moved.from), to: reference(moved.to), file });
        }
      } else if (kind === 'terraform') {
        config.terraform.push(...list(value).map(object));
      } else {
        throw new Error(`${file}: unexpected top-level block "${kind}"`);
      }
    }
  }
  return config;

  function add(map: Map<string, Block>, key: string, body: Block, address: string, file: string) {
    if (map.has(key)) throw new Error(`${file}: ${address} is declared twice`);
    map.set(key, body);
    config.fileOf.set(address, file);
  }
}

export function object(value: Json | undefined): Block {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function list(value: Json | undefined): Json[] {
  if (!Array.isArray(value)) throw new Error(`expected a list, got ${JSON.stringify(value)}`);
  return value;
}

/** A nested block that appears once (hcl2json writes every block as a list). */
export function only(value: Json | undefined): Block {
  const blocks = list(value);
  if (blocks.length !== 1) throw new Error(`expected one block, got ${blocks.length}`);
  return object(blocks[0]);
}

/** Every occurrence of a repeatable nested block (none gives an empty list). */
export function blocks(parent: Block, name: string): Block[] {
  return parent[name] === undefined ? [] : list(parent[name]).map(object);
}

export function get<T extends Map<string, Block>>(map: T, key: string): Block {
  const body = map.get(key);
  if (!body) throw new Error(`${key} is not declared (known: ${[...map.keys()].join(', ')})`);
  return body;
}

/** "${data.aws_iam_policy_document.deploy.json}" → "data.aws_iam_policy_document.deploy.json". */
export function reference(value: Json | undefined): string {
  if (typeof value !== 'string') throw new Error(`expected an expression, got ${JSON.stringify(value)}`);
  const match = /^\$\{(.+)\}$/s.exec(value);
  if (!match?.[1]) throw new Error(`expected a single interpolation, got ${value}`);
  return match[1];
}

/** The policy documents' Allow statements (the ones that grant), the local modules' included, with their document name. */
export function allowStatements(config: Config): { document: string; statement: Block }[] {
  const own = [...config.data]
    .filter(([key]) => key.startsWith('aws_iam_policy_document.'))
    .flatMap(([key, document]) =>
      blocks(document, 'statement')
        .filter((statement) => (statement.effect ?? 'Allow') === 'Allow')
        .map((statement) => ({ document: key.slice('aws_iam_policy_document.'.length), statement })),
    );
  const inModules = [...config.localModules].flatMap(([source, module]) =>
    allowStatements(module).map(({ document, statement }) => ({ document: `${source}: ${document}`, statement })),
  );
  return [...own, ...inModules];
}

export function strings(value: Json | undefined): string[] {
  return list(value).map((item) => {
    if (typeof item !== 'string') throw new Error(`expected a string, got ${JSON.stringify(item)}`);
    return item;
  });
}

/** A module call resolved to the local module it runs: the call's body (its inputs) and the module's configuration. */
export function localModule(config: Config, call: string): { call: Block; module: Config } {
  const body = get(config.modules, call);
  const module = config.localModules.get(String(body.source));
  if (!module) throw new Error(`module.${call}: source ${String(body.source)} is not a local module under ${MODULES_DIR}/`);
  return { call: body, module };
}

/** The value a module call gives an input: its own argument, or else the variable's default. */
export function input(resolved: { call: Block; module: Config }, name: string): Json | undefined {
  const variable = get(resolved.module.variables, name);
  return name in resolved.call ? resolved.call[name] : variable.default;
}
