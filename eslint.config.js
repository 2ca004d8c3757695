import tseslint from 'typescript-eslint';

// Size limits keep modules to one job: a file or function that outgrows them is asking to be split.
const SIZE_LIMITS = {
  'max-lines': ['error', 400],
  'max-lines-per-function': ['error', 80],
};

// Tests hold case tables and describe blocks, and bench/ holds scenario scripts: looser, not absent.
const RELAXED_SIZE_LIMITS = {
  'max-lines': ['error', 800],
  'max-lines-per-function': ['error', 300],
};

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'dist/', 'client/dist/', 'test-artifacts/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  { files: ['src/**', 'workers/**', 'client/**', 'scripts/**'], rules: SIZE_LIMITS },
  { files: ['tests/**', 'bench/**'], rules: RELAXED_SIZE_LIMITS },
);
