import { sveltekit } from '@sveltejs/kit/vite';
import { configDefaults, defineConfig } from 'vitest/config';

// The sveltekit plugin resolves the kit aliases ($lib, $contract, $themes) the display code uses.
// Each test file runs in its own process (forks): libchdb binds one data directory per process.
// The soaks and storms run apart, for an hour or more: npm run test:soak (vitest.soak.config.ts).
export default defineConfig({
  plugins: [sveltekit()],
  test: {
    include: ['test/**/*.test.ts'],
    // Long runs (soaks, many kill rounds, thousands of screens) only under `npm run test:soak`.
    exclude: [...configDefaults.exclude, 'test/soak/**/*.soak.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000
  }
});
