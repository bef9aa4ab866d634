import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The end-to-end tests start real processes and tmux sessions: keep the machine's two
    // cores from being oversubscribed.
    maxWorkers: 2,
  },
});
