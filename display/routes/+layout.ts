// A pure SPA: Fastify serves build/ and falls back to index.html; the wall is all client state.
export const ssr = false;
export const prerender = false;
