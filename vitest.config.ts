import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// The sveltekit plugin resolves the kit aliases ($lib, $contract, $themes) the display code uses.
// Each test file runs in its own process (forks): libchdb binds one data directory per process.
export default defineConfig({
  plugins: [sveltekit()],
  test: {
    include: ['test/**/*.test.ts'],
    // Long runs (many kill rounds, thousands of screens) only under `npm run test:soak`.
    exclude: ['test/soak/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000
  }
});
