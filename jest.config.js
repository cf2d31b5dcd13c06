// One jest setup for every workspace: each package, action (and the repo scripts) with a test/ folder is a project.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const workspaces = ['packages', 'actions'].flatMap((root) =>
  existsSync(root) ? readdirSync(root).map((name) => join(root, name)) : [],
);

const projects = [...workspaces, 'scripts', 'terraform', 'workflows']
  .filter((dir) => existsSync(join(dir, 'test')))
  .map((dir) => ({
    displayName: dir,
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    extensionsToTreatAsEsm: ['.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
      ],
    },
  }));

export default {
  projects,
  testTimeout: 60_000,
};
