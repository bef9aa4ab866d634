import { defineConfig } from 'vitest/config';

// The tmux end-to-end tests, the crash tests (processes killed at random moments) and the soak (it
// measures a running process) run one at a time, after the rest, so that their timing is not the
// parallel workers' load. Everything else runs in parallel workers.
const SERIAL = [
  'test/e2e-*.test.ts', 'test/claude-tmux-e2e.test.ts', 'test/tmux-panes.test.ts', 'test/soak.test.ts',
  'test/crash.test.ts', 'test/git-crash.test.ts',
];

export default defineConfig({
  test: {
    // teamtop's own state directory (XDG_STATE_HOME) is a temporary one for every run.
    setupFiles: ['test/setup/isolate.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: SERIAL,
          // Vitest's default on 2 cores is one worker; the tests spend much of their time waiting
          // for child processes (git, the CLI), so two keep both cores busy.
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'serial',
          include: SERIAL,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
