// Many wall screens in one process, connecting and reconnecting as the display does (its
// reconnection settings, websocket transport, its columnar encoding, a fresh snapshot replacing the state, deltas
// applied with the display's own code). Driven over stdin/stdout with JSON lines:
//   args: <url> <count> <token,token,...>
//   out: { type: 'ready' } once every screen has its first snapshot
//   in:  'mark'   -> remember now; resync delays are measured from here
//   in:  'report' -> { type: 'report', connected, restartingSeen, resynced, delaysMs, figures }
import { createInterface } from 'node:readline';
import { io, type Socket } from 'socket.io-client';
import { applyDelta, fromColumnar } from '../../display/lib/socket/apply-delta.ts';
import type { WallSnapshot } from '../../display/lib/socket/plant-table.ts';
import { RECONNECT } from '../../display/lib/socket/reconnect.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract.ts';

const [url, countArg, tokensArg] = process.argv.slice(2);
const count = Number(countArg);
const tokens = tokensArg.split(',');

interface Screen {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  state: WallSnapshot | null;
  snapshots: number;
  restarting: boolean;
  resyncedAt: number | null;
}

let markAt = 0;
let ready = false;
const screens: Screen[] = [];
for (let i = 0; i < count; i++) {
  const screen: Screen = {
    socket: io(url, { auth: { token: tokens[i % tokens.length], encoding: 'columnar' }, transports: ['websocket'], forceNew: true, ...RECONNECT }),
    state: null,
    snapshots: 0,
    restarting: false,
    resyncedAt: null
  };
  const { socket } = screen;
  socket.on('snapshot:columnar', (snapshot) => {
    screen.state = fromColumnar(snapshot);
    screen.snapshots++;
    if (markAt && screen.resyncedAt === null) screen.resyncedAt = Date.now();
    if (!ready && screens.length === count && screens.every((s) => s.state)) {
      ready = true;
      console.log(JSON.stringify({ type: 'ready' }));
    }
  });
  socket.on('delta:columnar', (delta) => {
    if (screen.state) screen.state = applyDelta(screen.state, delta);
  });
  socket.on('server-restarting', () => (screen.restarting = true));
  socket.on('disconnect', (reason) => {
    // As the display: the server closing us is the one case socket.io does not retry by itself.
    if (reason === 'io server disconnect') socket.connect();
  });
  screens.push(screen);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'mark') {
    markAt = Date.now();
    for (const s of screens) s.resyncedAt = null;
  } else if (line === 'report') {
    // Each screen's figures, grouped: a resynced fleet of screens shows one set per tenant.
    const figures: Record<string, number> = {};
    for (const s of screens) {
      const key = JSON.stringify({ tenant: s.state?.tenant.id, kpi: s.state?.kpi, status: s.state?.status });
      figures[key] = (figures[key] ?? 0) + 1;
    }
    console.log(
      JSON.stringify({
        type: 'report',
        connected: screens.filter((s) => s.socket.connected).length,
        restartingSeen: screens.filter((s) => s.restarting).length,
        resynced: screens.filter((s) => s.resyncedAt !== null).length,
        delaysMs: screens.filter((s) => s.resyncedAt !== null).map((s) => s.resyncedAt! - markAt),
        figures
      })
    );
  } else if (line === 'close') {
    for (const s of screens) s.socket.close();
    process.exit(0);
  }
});
