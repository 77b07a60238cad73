import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'labs/**', 'tests/e2e/**', 'tests/fixtures/**'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
