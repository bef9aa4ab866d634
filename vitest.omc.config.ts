import { defineConfig } from 'vitest/config';

// The opt-in suite against the real oh-my-claudecode package (`npm run test:omc`): it fetches the
// package into a cache directory once (scripts/omc-package.mjs), so it is not part of `npm test`.
export default defineConfig({
  test: {
    include: ['test-real/**/*.test.ts'],
    setupFiles: ['test/setup/isolate.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
