import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { citiesPlugin } from './display/vite-plugins/cities-plugin.ts';

const api = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export default defineConfig({
  plugins: [sveltekit(), citiesPlugin()],
  server: {
    proxy: {
      '/api': api,
      '/socket.io': { target: api, ws: true }
    }
  },
  build: { chunkSizeWarningLimit: 2500 }
});
