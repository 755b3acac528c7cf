// Caches of the store (registry, credentials, sessions, accounts, branding) say when they have
// written to it, so that other instances reload theirs (REDIS_URL; server/live/fleetStream.ts).

export class WriteListeners {
  readonly #listeners: (() => void)[] = [];

  /** Called after each write this instance makes, never after a reload. */
  on(listener: () => void): void {
    this.#listeners.push(listener);
  }

  tell(): void {
    for (const listener of this.#listeners) listener();
  }
}
