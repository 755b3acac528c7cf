import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// The long runs (npm run test:soak): soaks, kill rounds and the reconnect storm, each file in its
// own process, side by side (the soaks look for trends, which a loaded machine slows down but
// does not bend). SOAK_MINUTES sets the soaks' length, and test/soak/trend.ts each soak's
// timeout from it; `npm test` excludes them all.
export default defineConfig({
  plugins: [sveltekit()],
  test: {
    include: ['test/soak/**/*.soak.test.ts'],
    pool: 'forks',
    maxWorkers: 4,
    fileParallelism: true,
    testTimeout: 3_600_000,
    hookTimeout: 600_000
  }
});
