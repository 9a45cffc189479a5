import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Broker tests bind ports and spawn mosquitto; forks keep them isolated.
    pool: 'forks',
  },
});
