// @ts-check
import Module from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { defineConfig } from 'eslint/config';

// typescript-eslint parses with TypeScript's JavaScript API, which the pinned TypeScript 7 (the Go port)
// no longer exposes (`require('typescript')` gives only its version), and it supports TypeScript < 6.1.
// So lint brings its own TypeScript 6.0 under the npm alias `typescript-eslint-ts`, and every
// `require('typescript')` made while ESLint runs is pointed at it (package.json's `overrides` lets
// typescript-eslint's peer range accept the project's 7.0.2 at install time). `tsc` and `next build`
// still use 7.0.2; lint only reads the types, so a 6.0 that accepts our tsconfig is enough.
const lintTypescript = path.dirname(Module.createRequire(import.meta.url).resolve('typescript-eslint-ts/package.json'));
// @ts-expect-error -- _resolveFilename is Node's internal CommonJS resolver, not in @types/node
const resolveFilename = Module._resolveFilename;
// @ts-expect-error -- see above
Module._resolveFilename = function (/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
  const redirected = /^typescript(\/|$)/.test(request) ? request.replace(/^typescript/, lintTypescript) : request;
  return resolveFilename.call(this, redirected, ...rest);
};
const { default: tseslint } = await import('typescript-eslint');

// The layers: app → components / lib → db, never back. Cross-layer imports go through `@/…` (a relative
// path that climbs into another layer is refused too). Type-only imports cross freely: they vanish
// from the bundle and carry no behaviour.
const SQL_ONLY_IN_DB = {
  group: ['drizzle-orm', 'drizzle-orm/*', '@/db/schema', '@/db/schema/*'],
  allowTypeImports: true,
  message: 'SQL and tables live in db/queries: call a query function from there.',
};
const NOT_APP = {
  group: ['@/app', '@/app/**'],
  allowTypeImports: true,
  message: 'Nothing imports app/: move what is shared to components/ or lib/.',
};
const NOT_COMPONENTS = {
  group: ['@/components', '@/components/**'],
  allowTypeImports: true,
  message: 'lib/ and db/ never import components/.',
};
const climbingInto = (...layers) => ({
  regex: `^(\\.\\./)+(${layers.join('|')})(/|$)`,
  message: 'Import another layer through `@/…`, not a relative path.',
});

/** @param {string[]} files @param {object[]} patterns */
const layer = (files, patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

export default defineConfig(
  {
    ignores: [
      '.next/**',
      '.data/**',
      'node_modules/**',
      'next-env.d.ts',
      'test-results/**',
      'playwright-report/**',
      'tests/.tmp/**',
      'db/migrations/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      // projectService reads tsconfig.json with the lint TypeScript above: type-aware rules run.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Type-aware rules, chosen for the bugs they catch: a promise nobody awaits (a write that may
      // fail unseen, a camera that never stops), a promise where a callback's result is ignored, an
      // await on something that is not a promise. A form action may return a promise: React awaits it.
      // The rest of recommendedTypeChecked (no-unsafe-* on JSON and raw rows, require-await, assertion
      // style) flags ~100 places that tsc's strict mode already types well enough; not worth the noise.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
    },
  },
  {
    // Plain JavaScript and files outside tsconfig.json: no type information.
    files: ['**/*.{js,mjs,cjs,mts}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The classic rules of hooks. The React Compiler rules of eslint-plugin-react-hooks 7 (refs,
    // set-state-in-effect, purity …) are left out: the app is not compiled with the React Compiler.
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}'],
    ...nextPlugin.configs['core-web-vitals'],
  },

  // ── Import boundaries ──────────────────────────────────────────────────────────────────────────
  // app/ may import components/, lib/ and db/ (getDb and the query functions), never SQL itself.
  layer(['app/**/*.{ts,tsx}'], [SQL_ONLY_IN_DB]),
  // components/ never reach the database; lib/ and the query functions are theirs to call.
  layer(
    ['components/**/*.{ts,tsx}'],
    [
      NOT_APP,
      {
        group: ['@/db', '@/db/**'],
        allowTypeImports: true,
        message: 'Components never import @/db: take the data as props from the page, or call a lib/ function.',
      },
      SQL_ONLY_IN_DB,
      climbingInto('app', 'db'),
    ],
  ),
  // lib/ is the domain: it calls db/ (queries, transactions) and never the UI.
  layer(['lib/**/*.{ts,tsx}'], [NOT_APP, NOT_COMPONENTS, SQL_ONLY_IN_DB, climbingInto('app', 'components')]),
  // db/ is the bottom. Allowed exceptions, each a leaf with no imports of its own into the app:
  //   @/lib/env          the one reader of process.env (the client needs DATABASE_URL, PGLITE_DIR)
  //   @/lib/utils/uuid   a pure function (is this string a UUID?) used to refuse malformed ids
  //   @/lib/venues/venue-types  the list of venue types (V2), a constant the table's check is built from
  layer(
    ['db/**/*.ts'],
    [
      NOT_APP,
      NOT_COMPONENTS,
      {
        regex: '^@/lib/(?!(env|utils/uuid|venues/venue-types)$)',
        allowTypeImports: true,
        message: 'db/ never imports lib/ (allowed: @/lib/env, @/lib/utils/uuid, @/lib/venues/venue-types, type-only imports).',
      },
      climbingInto('app', 'components', 'lib'),
    ],
  ),
);
