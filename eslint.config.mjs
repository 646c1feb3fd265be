// ESLint, flat config: typescript-eslint's strict, type-aware rules on the gateway's sources, tests and benchmarks.
// Formatting is Prettier's (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-bench/', 'node_modules/', 'deploy/', '.run/', 'coverage/', '**/*.mjs', '**/*.cjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers, booleans and null read fine in messages; objects would print [object Object] and stay forbidden.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Nest modules are classes with decorators and no members, by design.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // Engine answers, request bodies and JSON columns are typed as their documented shape; the checks that guard
      // against what arrives anyway (a null the engine sends, a field a hostile client leaves out) are intended.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // The input checks look for control characters on purpose (NUL, C0), which is what this rule forbids.
      'no-control-regex': 'off',
      // `!` marks what the line above made certain (a Map entry just set, a regex group that matched).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // DTOs and views are classes for validation and OpenAPI; plain objects of their shape are what flows.
      '@typescript-eslint/no-misused-spread': 'off',
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // Static factories (`View.of`) passed to map() use no `this`.
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
      // A handler may return nothing: `Promise<WorkerResult | void>` is the API.
      '@typescript-eslint/no-invalid-void-type': 'off',
      // Input from outside (request values, engine JSON, handler results) is converted on purpose even where its
      // declared type says it already is what it should be.
      '@typescript-eslint/no-unnecessary-type-conversion': 'off',
      // Enum casts here follow a membership check (a Set of the enum's values, Object.values(...).find).
      '@typescript-eslint/no-unsafe-enum-assignment': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // Every library used rejects with an Error; catch callbacks name it so, to read its message.
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'off',
      // Deleting a named key (an environment variable restored, an OpenAPI extension stripped) is the point.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  {
    // Tests read untyped JSON answers (supertest bodies, engine-rest) and stub async interfaces: the unsafe-any and
    // require-await rules would only add casts and ceremony there.
    files: ['test/**/*.ts', 'src/**/*.spec.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Tests throw and reject with non-Errors on purpose, to check what the code does with them.
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/no-deprecated': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  prettier,
);
