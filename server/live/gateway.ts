// Socket.IO: a screen authenticates with its token, the server puts it in its scope's room
// (never one the client names), sends a snapshot on every connect, then deltas coalesced to at
// most one per second per room. Work is done once per room, never once per screen.
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, Snapshot } from '../contract.ts';
import type { Credentials } from '../auth/credentials.ts';
import type { Registry } from '../registry/registry.ts';
import { diffSnapshots } from './diff.ts';
import type { LiveState } from './state.ts';
import { buildSnapshot } from './view.ts';

export type FleetServer = Server<ClientToServerEvents, ServerToClientEvents>;
type FleetSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { tenantId: string; screenId: string }>;

const ROOM_PREFIX = 'scope:';
/** A quiet room still hears from the server this often, so that screens can tell live from stale. */
const HEARTBEAT_MS = 10_000;

export interface Gateway {
  tick(now?: number): void;
  close(): void;
}

export function createGateway(
  io: FleetServer,
  deps: { live: LiveState; registry: Registry; credentials: Credentials; now?: () => number; coalesceMs?: number }
): Gateway {
  const now = deps.now ?? Date.now;
  const rooms = new Map<string, { snapshot: Snapshot; sentAt: number }>();

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const principal = typeof token === 'string' ? deps.credentials.authenticate(token) : null;
    if (!principal || principal.kind !== 'screen' || !deps.registry.tree.tenants.has(principal.tenantId)) {
      return next(new Error('unauthorized'));
    }
    socket.data = { tenantId: principal.tenantId, screenId: principal.screenId };
    next();
  });

  io.on('connection', (socket: FleetSocket) => {
    const { tenantId } = socket.data;
    // A newcomer gets the room's current baseline (at most one tick old), so that the next delta,
    // a diff against that baseline, is exactly right for every member.
    let room = rooms.get(tenantId);
    if (!room) {
      const at = now();
      room = { snapshot: buildSnapshot(deps.registry, deps.live, tenantId, at), sentAt: at };
      rooms.set(tenantId, room);
    }
    void socket.join(ROOM_PREFIX + tenantId);
    socket.emit('snapshot', room.snapshot);
  });

  function tick(at = now()): void {
    for (const [tenantId, room] of rooms) {
      const members = io.sockets.adapter.rooms.get(ROOM_PREFIX + tenantId);
      if (!members || members.size === 0 || !deps.registry.tree.tenants.has(tenantId)) {
        rooms.delete(tenantId);
        continue;
      }
      const next = buildSnapshot(deps.registry, deps.live, tenantId, at);
      const delta = diffSnapshots(room.snapshot, next);
      if (delta === null && JSON.stringify(room.snapshot.tenant) !== JSON.stringify(next.tenant)) {
        io.to(ROOM_PREFIX + tenantId).emit('snapshot', next);
      } else if (delta !== null || at - room.sentAt >= HEARTBEAT_MS) {
        io.to(ROOM_PREFIX + tenantId).emit('delta', delta ?? { as_of: next.as_of });
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
    close: () => clearInterval(timer)
  };
}
