import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '.tools/**', 'backend/**', 'coverage/**', 'frontend/test-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // process.env is a map of names chosen at run time: deleting a computed key is how a variable is unset.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  {
    // Import boundaries: an action's src is bundled alone into its dist/, so it imports its own modules, npm
    // packages and @notebook-ship/action-kit; never another action, local-aws, the rehearsal or a test harness.
    files: ['actions/*/src/**/*.{ts,mts,js,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@notebook-ship/(?!action-kit$|api-schema$)',
              caseSensitive: true,
              message: "An action's src imports no workspace package but @notebook-ship/action-kit and the API's types, @notebook-ship/api-schema (the kit's test harness and local-aws are for tests).",
            },
            {
              regex: '(^|/)\\.\\.(/|$)|^/',
              caseSensitive: true,
              message: "An action's src imports only its own modules (./...): share code through @notebook-ship/action-kit.",
            },
          ],
        },
      ],
    },
  },
  {
    // action-kit's run-time half is bundled into every action: no test harness, no emulated AWS.
    files: ['packages/action-kit/src/**/*.{ts,mts,js,mjs}'],
    ignores: ['packages/action-kit/src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\.?/(.*/)?testing(/|$)|^@notebook-ship/',
              caseSensitive: true,
              message: "action-kit's src (outside testing/) is bundled into every action: it imports neither its testing/ harness nor another workspace package such as local-aws.",
            },
            {
              regex: '(^|/)\\.\\.(/|$)|^/',
              caseSensitive: true,
              message: "action-kit's src imports only its own modules (./...) and npm packages.",
            },
          ],
        },
      ],
    },
  },
  {
    // The notebook's browser code (frontend/e2e and the build scripts run in Node).
    files: ['frontend/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // The front end's imports go one way, shared code → features → app: shared code knows no feature, and a feature
  // knows neither the app that composes it nor another feature. Tests and testing/ compose them all.
  {
    files: ['frontend/src/{api,components,config,lib}/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [frontendLayer('features|app', 'Shared code (api, components, config, lib)')] }] },
  },
  // Patterns see only the import's text, so a file's depth below its feature says how many `../` reach features/.
  ...readdirSync(new URL('./frontend/src/features', import.meta.url)).flatMap((feature) =>
    [0, 1, 2, 3].map((depth) => ({
      files: [`frontend/src/features/${feature}/${'*/'.repeat(depth)}*.{ts,tsx}`],
      ignores: ['**/*.test.{ts,tsx}'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              frontendLayer('app', `The ${feature} feature`),
              {
                regex: `^(\\.\\./){${depth + 1}}(?!${feature}(/|$))[^./]`,
                caseSensitive: true,
                message: `The ${feature} feature imports no other feature: move what both need to shared code (lib, components).`,
              },
            ],
          },
        ],
      },
    })),
  ),
);

/** A pattern that refuses imports of the given top-level folders of frontend/src. */
function frontendLayer(folders, who) {
  return {
    regex: `^(\\.\\.?/)+(${folders})(/|$)`,
    caseSensitive: true,
    message: `${who} must not import ${folders.replace('|', ' or ')}: imports go shared code → features → app.`,
  };
}
