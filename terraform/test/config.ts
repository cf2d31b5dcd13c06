// Loads every .tf file of terraform/ through HashiCorp's HCL-to-JSON parser into one model the structural tests
// assert on. Expressions stay as Terraform writes them in JSON ("${var.name}"); literals are real JSON values.
import { parse } from '@cdktf/hcl2json';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Block = { [key: string]: Json };

export const terraformDir = fileURLToPath(new URL('..', import.meta.url));

/** The provider lock `terraform init` writes beside the configuration; committed, so every run installs the same build. */
export const LOCK_FILE = '.terraform.lock.hcl';

export interface Config {
  /** File name → text, as loaded (the .tf files and the lock file). */
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
  /** "resource.type.name", "data.type.name", "variable.name", "output.name", "provider.name", "locals.name" → file. */
  fileOf: Map<string, string>;
}

export function readTerraformFiles(): Map<string, string> {
  const names = readdirSync(terraformDir).filter((name) => name.endsWith('.tf') || name === LOCK_FILE);
  return new Map(names.sort().map((name) => [name, readFileSync(join(terraformDir, name), 'utf8')]));
}

export async function loadConfig(files: Map<string, string> = readTerraformFiles()): Promise<Config> {
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
    fileOf: new Map(),
  };
  const typed = { resource: config.resources, data: config.data, ephemeral: config.ephemeral } as const;
  const named = { variable: config.variables, output: config.outputs, provider: config.providers } as const;

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

/** The policy documents' Allow statements (the ones that grant), with their document name. */
export function allowStatements(config: Config): { document: string; statement: Block }[] {
  return [...config.data]
    .filter(([key]) => key.startsWith('aws_iam_policy_document.'))
    .flatMap(([key, document]) =>
      blocks(document, 'statement')
        .filter((statement) => (statement.effect ?? 'Allow') === 'Allow')
        .map((statement) => ({ document: key.slice('aws_iam_policy_document.'.length), statement })),
    );
}

export function strings(value: Json | undefined): string[] {
  return list(value).map((item) => {
    if (typeof item !== 'string') throw new Error(`expected a string, got ${JSON.stringify(item)}`);
    return item;
  });
}
