import { untrack } from 'svelte';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ScreenInfo, ServerToClientEvents, SocketAuth } from '$contract';
import { applyDelta, fromColumnar } from './apply-delta.ts';
import type { WallSnapshot } from './plant-table.ts';
import { RECONNECT } from './reconnect.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'error';
/** Why the server refused us: 'unauthorized' (no or bad credential) may pass; 'revoked' is final. */
export type ScreenError = 'unauthorized' | 'revoked';

// A rejected token stays rejected, but a wall runs unattended for weeks: a server that rejected
// us during a botched deploy should not need someone with a ladder to press reload.
const RETRY_AFTER_REJECTION_MS = 60_000;


/** The screen's one Socket.IO connection and the fleet state it carries. */
export class ScreenSocket {
  #state = $state<ConnectionState>('connecting');
  /** When the current state began (e.g. "reconnecting since"). */
  #since = $state(new Date());
  #error = $state<ScreenError | null>(null);
  #snapshot = $state.raw<WallSnapshot | null>(null);
  #screen = $state.raw<ScreenInfo | null>(null);
  /** Since when the server has been unable to store new data (the figures are frozen), or null. */
  #delayedSince = $state<Date | null>(null);
  /** The server said it is stopping: the coming gap is a restart, not a network fault. */
  #restarting = $state(false);
  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  // Not reactive: the watchdog and the data-age marker read it on their own ticks, and a
  // re-render per heartbeat would buy nothing.
  #lastMessageAt = Date.now();
  #lastHeardAt = Date.now();

  get state(): ConnectionState {
    return this.#state;
  }
  get since(): Date {
    return this.#since;
  }
  get error(): ScreenError | null {
    return this.#error;
  }
  /** The screen's name and settings, as the server last sent them. */
  get screen(): ScreenInfo | null {
    return this.#screen;
  }
  get snapshot(): WallSnapshot | null {
    return this.#snapshot;
  }
  get delayedSince(): Date | null {
    return this.#delayedSince;
  }
  get restarting(): boolean {
    return this.#restarting;
  }
  /** Whether the transport is up, whatever the server has (not) sent over it. */
  get connected(): boolean {
    return this.#socket?.connected ?? false;
  }
  /** Epoch ms of the last message from the server: connect, snapshot, delta (heartbeats included), screen. */
  get lastMessageAt(): number {
    return this.#lastMessageAt;
  }
  /** Epoch ms the link last carried anything from the server, its pings included. */
  get lastHeardAt(): number {
    return this.#lastHeardAt;
  }

  /**
   * Connects with a screen token, or with none: a screen paired through `/pair/<code>` holds an
   * HttpOnly cookie instead, which the browser sends on the same-origin WebSocket handshake.
   */
  connect(token: string | null): void {
    // Untracked: connect() reads its own state, and an effect calling it must not re-run
    // (and reconnect) every time that state changes.
    untrack(() => this.#open(token));
  }

  #open(token: string | null): void {
    this.close();
    // Columnar: the plants come as binary columns the map reads as they are (contract.ts).
    const auth: SocketAuth = { encoding: 'columnar', ...(token ? { token } : {}) };
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      auth,
      transports: ['websocket'],
      ...RECONNECT
    });
    this.#socket = socket;
    this.#enter('connecting');

    // The server pings every PING_INTERVAL_MS: the steadiest sign that the link still carries.
    socket.io.on('ping', () => (this.#lastHeardAt = Date.now()));
    socket.on('connect', () => {
      this.#heard();
      // The server says so again right after connecting if data is still delayed.
      this.#delayedSince = null;
    });
    // Every (re)connect brings a whole snapshot: replace, never merge, so nothing stale survives.
    socket.on('snapshot:columnar', (snapshot) => {
      this.#heard();
      this.#snapshot = fromColumnar(snapshot);
      this.#error = null;
      this.#restarting = false;
      this.#enter('live');
    });
    socket.on('delta:columnar', (delta) => {
      this.#heard();
      if (this.#snapshot) this.#snapshot = applyDelta(this.#snapshot, delta);
    });
    socket.on('screen', (screen) => {
      this.#heard();
      this.#screen = screen;
    });
    socket.on('revoked', () => this.#revoke());
    socket.on('data-delayed', (delay) => {
      this.#heard();
      this.#delayedSince = delay ? new Date(delay.since) : null;
    });
    socket.on('server-restarting', () => {
      this.#restarting = true;
      this.#enter('reconnecting');
    });
    socket.on('disconnect', (reason) => {
      this.#enter('reconnecting');
      // The server closing us is the one case socket.io does not retry by itself.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (err) => {
      if (err.message === 'revoked') {
        this.#revoke();
      } else if (err.message === 'unauthorized') {
        this.#error = 'unauthorized';
        this.#enter('error');
        // Middleware rejections are not retried by the client; retry slowly ourselves.
        this.#retry = setTimeout(() => socket.connect(), RETRY_AFTER_REJECTION_MS);
      } else if (this.#state !== 'reconnecting' && this.#snapshot) {
        this.#enter('reconnecting');
      }
    });
  }

  close(): void {
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = null;
  }

  // Revocation is final: stop for good, so a revoked screen does not knock on the door forever.
  #revoke(): void {
    this.close();
    this.#error = 'revoked';
    this.#snapshot = null;
    this.#enter('error');
  }

  #heard(): void {
    this.#lastMessageAt = this.#lastHeardAt = Date.now();
  }

  #enter(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#since = new Date();
  }
}
