// Typed lint rules for every workspace; generated output and dependencies are ignored.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Packages meet only at their faces (src/index.ts, built to dist/index.js).
const packageFaces = {
  regex: '^@p2p-escrow/[^/]+/.+',
  message: "Import the package's face ('@p2p-escrow/<package>'), never its dist/ or src/.",
};
const providerSdk = {
  name: 'stripe',
  message: "Only payments/ talks to the payment provider: use '@p2p-escrow/payments' and its port.",
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'bench/reports/**',
      'bench/.caliper/**',
      'eslint.config.mjs',
      // The console's build settings (Vite reads them; no TypeScript project holds them) and its output.
      'console/vite.config.mjs',
      'console/bundle/**',
      // openapi-typescript's output, checked against the document by the drift test instead.
      'client/src/generated/**',
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
      'no-restricted-imports': ['error', { paths: [providerSdk], patterns: [packageFaces] }],
    },
  },
  {
    // The payment provider's SDK stays behind the payments package's port.
    files: ['payments/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [packageFaces] }] },
  },
  {
    files: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
