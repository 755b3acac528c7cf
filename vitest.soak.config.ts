import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// The long runs: test/soak/**/*.soak.test.ts, one file at a time (they load the machine on
// purpose), only under `npm run test:soak`; `npm test` excludes them.
export default defineConfig({
  plugins: [sveltekit()],
  test: {
    include: ['test/soak/**/*.soak.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 3_600_000,
    hookTimeout: 600_000
  }
});
