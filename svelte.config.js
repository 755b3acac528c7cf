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
    // The wall's Content-Security-Policy. SvelteKit adds the hash of its inline bootstrap script;
    // the server sends the policy as a header (with frame-ancestors, which a <meta> cannot carry).
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Svelte and MapLibre set style attributes at run time.
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self', 'data:'],
        'connect-src': ['self'],
        // MapLibre runs its tile parsing in workers made from blob: URLs.
        'worker-src': ['self', 'blob:'],
        'child-src': ['self', 'blob:'],
        // The admin's live preview frames the wall.
        'frame-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self']
      }
    },
    alias: {
      $contract: 'server/contract.ts',
      $themes: 'themes'
    }
  }
};
