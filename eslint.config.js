// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node builtins are banned in workflow code: it runs in Temporal's deterministic sandbox. */
const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'url',
  'util',
  'events',
  'stream',
  'worker_threads',
  'process',
  'timers',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-params': ['error', 4],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .filter((n) => !n.includes('*'))
            .map((name) => ({
              name,
              message: 'Workflow code runs in a deterministic sandbox: no Node builtins.',
            })),
          patterns: [
            {
              group: ['node:*'],
              message: 'Workflow code runs in a deterministic sandbox: no Node builtins.',
            },
            {
              group: ['@temporalio/*', '!@temporalio/workflow', '!@temporalio/common'],
              message: 'Workflow code may import only @temporalio/workflow (and types).',
            },
            {
              group: ['../src/**', '../src', '../activities/**', '../activities'],
              allowTypeImports: true,
              message: 'Workflow code may import only types from src/ or activities/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
