import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // teamtop's own state directory (XDG_STATE_HOME) is a temporary one for every run.
    setupFiles: ['test/setup/isolate.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The end-to-end tests run the real program (tmux, 8 writer processes, kill loops, a soak
    // that measures CPU): on a 2-core machine they must not compete, so files run one at a time.
    fileParallelism: false,
  },
});
