import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// The sveltekit plugin resolves the kit aliases ($lib, $contract, $themes) the display code uses.
export default defineConfig({
  plugins: [sveltekit()],
  test: { include: ['test/**/*.test.ts'], pool: 'forks' }
});
