// The admin API client the pages use: the pure client wired to the browser's fetch and router.
import { goto } from '$app/navigation';
import { createApi } from './api.ts';

export const api = createApi({
  fetch: (input, init) => fetch(input, init),
  onUnauthorized: () => {
    const here = location.pathname + location.search;
    if (location.pathname === '/admin/login') return;
    void goto(`/admin/login?next=${encodeURIComponent(here)}`, { replaceState: true });
  }
});
