// Who is signed in, loaded once per page visit and shared by the picker and every tenant page.
import { goto } from '$app/navigation';
import { api } from './client.ts';
import type { Me } from './types.ts';

class Session {
  #me = $state.raw<Me | null>(null);
  #loading: Promise<Me> | null = null;

  get me(): Me | null {
    return this.#me;
  }

  /** The signed-in user and memberships; a 401 sends the browser to the login page (the client does). */
  load(force = false): Promise<Me> {
    if (force || !this.#loading) {
      this.#loading = api<Me>('GET', '/api/v1/auth/me').then(
        (me) => (this.#me = me),
        (error: unknown) => {
          this.#loading = null;
          throw error;
        }
      );
    }
    return this.#loading;
  }

  /** Forget the cached user (after signing in as someone else, or out). */
  reset(): void {
    this.#me = null;
    this.#loading = null;
  }

  async logout(): Promise<void> {
    try {
      await api('POST', '/api/v1/auth/logout', { allowUnauthorized: true });
    } finally {
      this.reset();
      await goto('/admin/login');
    }
  }
}

export const session = new Session();
