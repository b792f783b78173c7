// Typed lint rules for every workspace; generated output and dependencies are ignored.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'bench/reports/**',
      'bench/.caliper/**',
      'eslint.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Packages meet only at their faces (src/index.ts, built to dist/index.js).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@p2p-escrow/[^/]+/.+',
              message: "Import the package's face ('@p2p-escrow/<package>'), never its dist/ or src/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
