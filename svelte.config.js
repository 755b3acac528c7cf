import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // SPA: Fastify serves build/ and falls back to index.html for client routes.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: false }),
    files: {
      src: 'display',
      lib: 'display/lib',
      routes: 'display/routes',
      appTemplate: 'display/app.html',
      assets: 'display/static'
    },
    alias: {
      $contract: 'server/contract.ts',
      $themes: 'themes'
    }
  }
};
