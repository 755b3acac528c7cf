import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// The long runs (npm run test:soak): soaks and storms, each file in its own process, side by side
// (they look for trends, which a loaded machine slows down but does not bend). SOAK_MINUTES sets
// the soaks' length, and test/soak/trend.ts each soak's timeout from it.
export default defineConfig({
  plugins: [sveltekit()],
  test: {
    include: ['test/soak/**/*.soak.test.ts'],
    pool: 'forks',
    maxWorkers: 4,
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 300_000
  }
});
