import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts', 'grader/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'labs/**'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
