// Socket.IO: a screen authenticates with its token or its pairing cookie, the server puts it in
// its scope's room (never one the client names), sends a snapshot on every connect, then deltas
// coalesced to at most one per second per room. Work is done once per room, never per screen:
// a room's sockets are split by the encoding they asked for (the contract's JSON, or columnar),
// and each message is encoded once per encoding, not per socket. The HTTP snapshot reads the same
// rooms (`read`): a room open only for HTTP readers is dropped once nobody has read it for a while.
import type { Server, Socket } from 'socket.io';
import type { Credentials, ScreenRecord } from '../auth/credentials.ts';
import type { Secrets } from '../auth/secrets.ts';
import type { Branding } from '../branding/branding.ts';
import { SOCKET_ENCODINGS, type ClientToServerEvents, type DataDelay, type Delta, type PlantColumns, type PlantPoint, type ScreenInfo, type ServerToClientEvents, type Snapshot, type SocketEncoding } from '../contract.ts';
import type { StoreHealth, StoreStatus } from '../db/health.ts';
import { foreignOrigin, SCREEN_COOKIE } from '../http/auth.ts';
import type { Registry } from '../registry/registry.ts';
import { encodeDelta, encodePlants } from './columnar.ts';
import { mergeDeltas } from './diff.ts';
import { LiveRooms, type RoomView } from './rooms.ts';
import type { LiveState } from './state.ts';

export type FleetServer = Server<ClientToServerEvents, ServerToClientEvents>;
type FleetSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { tenantId: string; screenId: string; encoding: SocketEncoding }>;

const SCOPE_ROOM = 'scope:';
const SCREEN_ROOM = 'screen:';
/** A quiet room still hears from the server this often, so that screens can tell live from stale. */
const HEARTBEAT_MS = 10_000;
/** How long a room nobody's socket is in stays after its last HTTP read. */
const READ_IDLE_MS = 60_000;

export interface Gateway {
  tick(now?: number): void;
  /** New data was applied: rooms not checked within the last second are checked right away. */
  nudge(): void;
  /** Sends a screen's new name and settings to its open sockets. */
  screenChanged(screen: ScreenRecord): void;
  /** Tells a revoked screen's sockets, then disconnects them. */
  screenRevoked(screenId: string): void;
  /**
   * A tenant's room for a reader outside its sockets (GET .../snapshot): brought to now when
   * anything arrived since its last update (or that update is one coalesce period, 1 s, old), so
   * it holds every record applied before the read and its `as_of` says the instant. A room with
   * sockets keeps its pace: the change is held for its screens' next delta (at most one a second,
   * as ever). A room without is kept until nobody has read it for a minute.
   */
  read(tenantId: string): RoomView;
  /** The tenants that have a room open (for sockets or readers). */
  openRooms(): string[];
  /** Tells every screen of this instance it is stopping, then disconnects them (they reconnect with backoff). */
  restarting(): void;
  close(): void;
}

export interface GatewayDeps {
  live: LiveState;
  registry: Registry;
  credentials: Credentials;
  secrets: Secrets;
  branding?: Branding;
  /** Screens are told while the store is failing or slow, so the wall can say its figures are delayed. */
  health?: StoreHealth;
  /** The HTTP server's cookie parser, so sockets read cookies exactly as routes do. */
  parseCookie: (header: string) => Record<string, string | undefined>;
  now?: () => number;
  coalesceMs?: number;
  readIdleMs?: number;
}

const info = (screen: ScreenRecord): ScreenInfo => ({ id: screen.id, name: screen.name, settings: screen.settings });
const delayOf = (status: StoreStatus): DataDelay | null => (status.condition === 'ok' ? null : { since: new Date(status.since).toISOString() });

export function createGateway(io: FleetServer, deps: GatewayDeps): Gateway {
  const now = deps.now ?? Date.now;
  const coalesceMs = deps.coalesceMs ?? 1000;
  // A room is looked at after new data (at most once per coalesceMs: the "one delta per second")
  // and by a slower sweep for what changes with time alone: devices going offline, heartbeats.
  const SWEEP_MS = 5 * coalesceMs;
  const readIdleMs = deps.readIdleMs ?? READ_IDLE_MS;
  // readAt: the last HTTP read (-Infinity for a room opened by sockets and never read); held: what
  // a read brought into the room that its sockets have not been sent yet.
  interface Room {
    sentAt: number;
    checkedAt: number;
    readAt: number;
    held: Delta | null | 'resync';
    pending: ReturnType<typeof setTimeout> | null;
  }
  const rooms = new Map<string, Room>();
  const newRoom = (at: number, readAt: number): Room => ({ sentAt: at, checkedAt: at, readAt, held: null, pending: null });
  // Each room's figures, kept current from what changed; they yield the snapshot and the delta.
  const figures = new LiveRooms(deps.registry, deps.live, deps.branding);
  // A room's plants in columns, made once per plant list (a room keeps its list until a plant
  // changes) however many columnar screens join or reconnect.
  const columns = new WeakMap<readonly PlantPoint[], PlantColumns>();
  const columnarOf = (snapshot: Snapshot) => {
    let plants = columns.get(snapshot.plants);
    if (!plants) columns.set(snapshot.plants, (plants = encodePlants(snapshot.plants)));
    return { ...snapshot, plants };
  };
  /** The room of a scope's sockets that asked for one encoding (every socket is also in the scope's room). */
  const encodingRoom = (tenantId: string, encoding: SocketEncoding) => `${SCOPE_ROOM}${tenantId}:${encoding}`;
  const hasMembers = (room: string) => (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0;
  // Figures are this instance's to send to its own screens (with REDIS_URL every instance makes
  // the deltas for its own), so they go to local sockets only; what concerns one screen wherever
  // it is connected (its settings, its revocation) goes to every instance.
  function sendSnapshot(tenantId: string, snapshot: Snapshot): void {
    io.local.to(encodingRoom(tenantId, 'json')).emit('snapshot', snapshot);
    const room = encodingRoom(tenantId, 'columnar');
    if (hasMembers(room)) io.local.to(room).emit('snapshot:columnar', columnarOf(snapshot));
  }
  function sendDelta(tenantId: string, delta: Delta): void {
    io.local.to(encodingRoom(tenantId, 'json')).emit('delta', delta);
    const room = encodingRoom(tenantId, 'columnar');
    if (hasMembers(room)) io.local.to(room).emit('delta:columnar', encodeDelta(delta));
  }

  /** The screen a handshake speaks for: a token (programs), or the pairing cookie (browsers). */
  function screenOf(socket: Socket): ScreenRecord | 'revoked' | null {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token === 'string' && token.length > 0) {
      const screen = deps.credentials.screenByToken(token);
      return screen ? (screen.revoked ? 'revoked' : screen) : null;
    }
    const secret = socket.handshake.headers.cookie ? deps.parseCookie(socket.handshake.headers.cookie)[SCREEN_COOKIE] : undefined;
    if (!secret) return null;
    // A cookie rides along with any request to us: only our own pages may use it.
    const host = socket.handshake.headers.host;
    const origin = socket.handshake.headers.origin;
    // With a cookie, no Origin is as bad as a foreign one.
    if (!origin || !host || foreignOrigin(origin, host)) return null;
    const session = deps.secrets.find(secret, 'screen_session', now());
    const screen = session ? deps.credentials.screens.get(session.subject_id) : undefined;
    return screen ? (screen.revoked ? 'revoked' : screen) : null;
  }

  io.use((socket, next) => {
    const encoding = (socket.handshake.auth as { encoding?: unknown } | undefined)?.encoding ?? 'json';
    if (!SOCKET_ENCODINGS.includes(encoding as SocketEncoding)) return next(new Error('auth.encoding must be "json" or "columnar"'));
    const screen = screenOf(socket);
    if (screen === 'revoked') return next(new Error('revoked'));
    if (!screen || !deps.registry.tree.tenants.has(screen.tenant_id)) return next(new Error('unauthorized'));
    socket.data = { tenantId: screen.tenant_id, screenId: screen.id, encoding: encoding as SocketEncoding };
    next();
  });

  io.on('connection', (socket: FleetSocket) => {
    const { tenantId, screenId, encoding } = socket.data;
    // A newcomer gets the room's current baseline (at most one tick old), so that the next delta,
    // a diff against that baseline, is exactly right for every member (a change held from a read
    // is in the baseline already: its figures are whole and alarms are told apart by their key).
    const at = now();
    const room = rooms.get(tenantId);
    if (!room) rooms.set(tenantId, newRoom(at, -Infinity));
    // A room kept for readers may be older than a tick: with no socket in it, nobody needs its delta.
    else if (!hasMembers(SCOPE_ROOM + tenantId) && figures.refresh(tenantId, at, coalesceMs) !== undefined) room.checkedAt = at;
    const snapshot = figures.snapshot(tenantId, at);
    void socket.join([SCOPE_ROOM + tenantId, encodingRoom(tenantId, encoding), SCREEN_ROOM + screenId]);
    const screen = deps.credentials.screens.get(screenId);
    if (screen) socket.emit('screen', info(screen));
    if (encoding === 'columnar') socket.emit('snapshot:columnar', columnarOf(snapshot));
    else socket.emit('snapshot', snapshot);
    const delay = deps.health && delayOf(deps.health.status);
    if (delay) socket.emit('data-delayed', delay);
  });
  let lastDelay = deps.health ? delayOf(deps.health.status) : null;
  deps.health?.onChange((status) => {
    // Slow turning into failing (or back) changes nothing a screen shows.
    const delay = delayOf(status);
    // This instance's store: its own screens are told.
    if ((delay === null) !== (lastDelay === null)) io.local.emit('data-delayed', delay);
    lastDelay = delay;
  });

  /** Builds a room's figures and sends what changed (or a heartbeat when it is due). */
  function check(tenantId: string, at: number): void {
    const room = rooms.get(tenantId);
    if (!room) return;
    if (room.pending) clearTimeout(room.pending);
    room.pending = null;
    const exists = deps.registry.tree.tenants.has(tenantId);
    if (!exists || !hasMembers(SCOPE_ROOM + tenantId)) {
      // Readers bring their room up to date themselves when they read it; no socket is left to tell.
      room.held = null;
      if (exists && at - room.readAt < readIdleMs) return;
      rooms.delete(tenantId);
      figures.drop(tenantId);
      return;
    }
    room.checkedAt = at;
    const delta = mergeDeltas(room.held, figures.update(tenantId, at));
    room.held = null;
    if (delta && delta !== 'resync') delta.as_of = new Date(at).toISOString();
    if (delta === 'resync') {
      sendSnapshot(tenantId, figures.snapshot(tenantId, at));
    } else if (delta !== null || at - room.sentAt >= HEARTBEAT_MS) {
      sendDelta(tenantId, delta ?? { as_of: new Date(at).toISOString() });
    } else {
      return;
    }
    room.sentAt = at;
  }

  /** The sweep: every room, for changes that come with time alone. */
  function tick(at = now()): void {
    for (const tenantId of [...rooms.keys()]) check(tenantId, at);
  }

  /** Checks a room now when its last check is a coalesce period old, else as soon as it is. */
  function checkSoon(tenantId: string, room: Room, at: number): void {
    if (room.pending) return;
    const wait = room.checkedAt + coalesceMs - at;
    if (wait <= 0) return check(tenantId, at);
    room.pending = setTimeout(() => {
      room.pending = null;
      check(tenantId, now());
    }, wait);
    room.pending.unref();
  }

  function nudge(): void {
    // After the ingest answer, not inside it.
    setImmediate(() => {
      const at = now();
      for (const [tenantId, room] of rooms) checkSoon(tenantId, room, at);
    });
  }

  const timer = setInterval(() => {
    const at = now();
    for (const [tenantId, room] of rooms) if (!room.pending && at - room.checkedAt >= SWEEP_MS - coalesceMs / 2) check(tenantId, at);
  }, coalesceMs);
  timer.unref();

  function read(tenantId: string): RoomView {
    const at = now();
    let room = rooms.get(tenantId);
    if (!room) rooms.set(tenantId, (room = newRoom(at, at)));
    room.readAt = at;
    if (!hasMembers(SCOPE_ROOM + tenantId)) {
      if (figures.refresh(tenantId, at, coalesceMs) !== undefined) room.checkedAt = at;
    } else if (at - room.checkedAt >= coalesceMs) {
      check(tenantId, at);
    } else {
      const change = figures.refresh(tenantId, at, coalesceMs);
      if (change !== undefined) {
        room.held = mergeDeltas(room.held, change);
        checkSoon(tenantId, room, at);
      }
    }
    return figures.room(tenantId, at);
  }

  return {
    tick,
    nudge,
    read,
    openRooms: () => figures.tenants(),
    screenChanged: (screen) => void io.to(SCREEN_ROOM + screen.id).emit('screen', info(screen)),
    screenRevoked: (screenId) => {
      io.to(SCREEN_ROOM + screenId).emit('revoked');
      // Give the event a moment on the wire before the socket closes.
      setTimeout(() => io.in(SCREEN_ROOM + screenId).disconnectSockets(true), 200).unref();
    },
    restarting: () => {
      // This instance is stopping, not the others.
      io.local.emit('server-restarting');
      io.local.disconnectSockets(true);
    },
    close: () => {
      clearInterval(timer);
      for (const room of rooms.values()) if (room.pending) clearTimeout(room.pending);
    }
  };
}
