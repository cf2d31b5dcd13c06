// One jest setup for every workspace: each package or action with a test/ folder becomes a project.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'actions'];
const projects = roots.flatMap((root) =>
  existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'test')))
        .map((name) => ({
          displayName: `${root}/${name}`,
          rootDir: join(root, name),
          testEnvironment: 'node',
          testMatch: ['<rootDir>/test/**/*.test.ts'],
          extensionsToTreatAsEsm: ['.ts'],
          transform: {
            '^.+\\.ts$': [
              '@swc/jest',
              { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
            ],
          },
        }))
    : [],
);

export default {
  projects,
  testTimeout: 60_000,
};
