// Socket.IO: a screen authenticates with its token or its pairing cookie, the server puts it in
// its scope's room (never one the client names), sends a snapshot on every connect, then deltas
// coalesced to at most one per second per room. Work is done once per room, never per screen.
import type { Server, Socket } from 'socket.io';
import type { Credentials, ScreenRecord } from '../auth/credentials.ts';
import { sha256 } from '../auth/credentials.ts';
import type { Secrets } from '../auth/secrets.ts';
import type { Branding } from '../branding/branding.ts';
import type { ClientToServerEvents, ScreenInfo, ServerToClientEvents, Snapshot } from '../contract.ts';
import { SCREEN_COOKIE } from '../http/auth.ts';
import type { Registry } from '../registry/registry.ts';
import { diffSnapshots } from './diff.ts';
import type { LiveState } from './state.ts';
import { buildSnapshot } from './view.ts';

export type FleetServer = Server<ClientToServerEvents, ServerToClientEvents>;
type FleetSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { tenantId: string; screenId: string }>;

const SCOPE_ROOM = 'scope:';
const SCREEN_ROOM = 'screen:';
/** A quiet room still hears from the server this often, so that screens can tell live from stale. */
const HEARTBEAT_MS = 10_000;

export interface Gateway {
  tick(now?: number): void;
  /** Sends a screen's new name and settings to its open sockets. */
  screenChanged(screen: ScreenRecord): void;
  /** Tells a revoked screen's sockets, then disconnects them. */
  screenRevoked(screenId: string): void;
  close(): void;
}

export interface GatewayDeps {
  live: LiveState;
  registry: Registry;
  credentials: Credentials;
  secrets: Secrets;
  branding?: Branding;
  now?: () => number;
  coalesceMs?: number;
}

function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

const info = (screen: ScreenRecord): ScreenInfo => ({ id: screen.id, name: screen.name, settings: screen.settings });

export function createGateway(io: FleetServer, deps: GatewayDeps): Gateway {
  const now = deps.now ?? Date.now;
  const rooms = new Map<string, { snapshot: Snapshot; sentAt: number }>();
  const snapshotOf = (tenantId: string, at: number) => buildSnapshot(deps.registry, deps.live, tenantId, at, deps.branding);

  /** The screen a handshake speaks for: a token (programs), or the pairing cookie (browsers). */
  function screenOf(socket: Socket): ScreenRecord | 'revoked' | null {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token === 'string' && token.length > 0) {
      const hash = sha256(token);
      const screen = [...deps.credentials.screens.values()].find((s) => s.token_hash === hash);
      return screen ? (screen.revoked ? 'revoked' : screen) : null;
    }
    const secret = cookie(socket.handshake.headers.cookie, SCREEN_COOKIE);
    if (!secret) return null;
    // A cookie rides along with any request to us: only our own pages may use it.
    const host = socket.handshake.headers.host;
    const origin = socket.handshake.headers.origin;
    if (!origin || !host || (origin !== `http://${host}` && origin !== `https://${host}`)) return null;
    const session = deps.secrets.find(secret, 'screen_session', now());
    const screen = session ? deps.credentials.screens.get(session.subject_id) : undefined;
    return screen ? (screen.revoked ? 'revoked' : screen) : null;
  }

  io.use((socket, next) => {
    const screen = screenOf(socket);
    if (screen === 'revoked') return next(new Error('revoked'));
    if (!screen || !deps.registry.tree.tenants.has(screen.tenant_id)) return next(new Error('unauthorized'));
    socket.data = { tenantId: screen.tenant_id, screenId: screen.id };
    next();
  });

  io.on('connection', (socket: FleetSocket) => {
    const { tenantId, screenId } = socket.data;
    // A newcomer gets the room's current baseline (at most one tick old), so that the next delta,
    // a diff against that baseline, is exactly right for every member.
    let room = rooms.get(tenantId);
    if (!room) {
      const at = now();
      room = { snapshot: snapshotOf(tenantId, at), sentAt: at };
      rooms.set(tenantId, room);
    }
    void socket.join([SCOPE_ROOM + tenantId, SCREEN_ROOM + screenId]);
    const screen = deps.credentials.screens.get(screenId);
    if (screen) socket.emit('screen', info(screen));
    socket.emit('snapshot', room.snapshot);
  });

  function tick(at = now()): void {
    for (const [tenantId, room] of rooms) {
      const members = io.sockets.adapter.rooms.get(SCOPE_ROOM + tenantId);
      if (!members || members.size === 0 || !deps.registry.tree.tenants.has(tenantId)) {
        rooms.delete(tenantId);
        continue;
      }
      const next = snapshotOf(tenantId, at);
      const delta = diffSnapshots(room.snapshot, next);
      if (delta === 'resync') {
        io.to(SCOPE_ROOM + tenantId).emit('snapshot', next);
      } else if (delta !== null || at - room.sentAt >= HEARTBEAT_MS) {
        io.to(SCOPE_ROOM + tenantId).emit('delta', delta ?? { as_of: next.as_of });
      } else {
        continue;
      }
      rooms.set(tenantId, { snapshot: next, sentAt: at });
    }
  }

  const timer = setInterval(() => tick(), deps.coalesceMs ?? 1000);
  timer.unref();
  return {
    tick,
    screenChanged: (screen) => void io.to(SCREEN_ROOM + screen.id).emit('screen', info(screen)),
    screenRevoked: (screenId) => {
      io.to(SCREEN_ROOM + screenId).emit('revoked');
      // Give the event a moment on the wire before the socket closes.
      setTimeout(() => io.in(SCREEN_ROOM + screenId).disconnectSockets(true), 200).unref();
    },
    close: () => clearInterval(timer)
  };
}
