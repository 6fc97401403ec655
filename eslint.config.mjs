import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { libBoundaries } from './eslint/lib-boundaries.mjs';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'infra/kafka/.lib/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // recommendedTypeChecked = recommended + these, which need types (so TypeScript files only).
  ...tseslint.configs.recommendedTypeCheckedOnly.map((config) => ({ ...config, files: ['**/*.ts'] })),
  prettier,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { tracker: { rules: { 'lib-boundaries': libBoundaries } } },
    rules: {
      // Which lib may import which, and which may import @nestjs: the table in eslint/lib-boundaries.mjs.
      'tracker/lib-boundaries': 'error',
      // Adapters implement Promise-returning ports; `async` keeps a synchronous throw a rejection.
      '@typescript-eslint/require-await': 'off',
      // Deciders and better-sqlite3 transactions are plain functions typed as methods: every finding was one.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Specs, test helpers and benchmarks read untyped JSON (HTTP bodies, child-process output) on purpose.
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts', '**/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Assertions in specs spell out the type a fixture is meant to have.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Fakes print positions that may hold bigints; a bench rethrows what a child process sent.
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
  {
    // Plain CommonJS scripts run by node directly (require hooks, broker checks).
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The domain is pure: no framework, no I/O, no clock (docs/architecture.md).
    files: ['libs/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@nestjs/*', 'fs', 'node:*', 'better-sqlite3', 'kafkajs', '@eventstore/*', '@app/*'] },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Time comes in as data.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time comes in as data.',
        },
      ],
    },
  },
);
