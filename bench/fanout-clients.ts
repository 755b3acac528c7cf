// The far side of bench/fanout.ts, in its own process: many socket.io-client connections (the
// screens) and many plain `ws` connections (the baseline), driven over IPC by the parent. Every
// message is parsed, as a screen would, and its arrival time kept on the machine's clock
// (performance.timeOrigin + performance.now(), the same clock in both processes).
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

export type Command =
  | { kind: 'socketio'; url: string; tokens: string[] }
  | { kind: 'ws'; url: string; count: number }
  /** Forget what arrived so far. */
  | { kind: 'reset' }
  /** Answer once `total` messages have arrived since the reset (or after `timeoutMs`). */
  | { kind: 'await'; total: number; timeoutMs: number }
  | { kind: 'close' };

/** One message: which client, when (epoch ms, fractional), its kpi.power_w and its as_of. */
export type Arrival = [client: number, at: number, powerW: number | null, asOf: string];

export type Reply =
  | { kind: 'connected'; clients: number; seconds: number }
  /** cpuUs: this process's CPU time since the reset, in microseconds. */
  | { kind: 'arrived'; count: number; first: number; last: number; cpuUs: number; arrivals: Arrival[] };

const clock = () => performance.timeOrigin + performance.now();
const send = (reply: Reply) => process.send!(reply);

let arrivals: Arrival[] = [];
let cpuAtReset = process.cpuUsage();
let waiting: { total: number; timer: NodeJS.Timeout } | null = null;
const sockets: Socket[] = [];
const raw: WebSocket[] = [];

function arrived(client: number, message: { as_of?: string; kpi?: { power_w?: number } }): void {
  arrivals.push([client, clock(), message.kpi?.power_w ?? null, message.as_of ?? '']);
  if (waiting && arrivals.length >= waiting.total) answer();
}

function answer(): void {
  if (waiting) clearTimeout(waiting.timer);
  waiting = null;
  let first = Infinity;
  let last = -Infinity;
  for (const a of arrivals) [first, last] = [Math.min(first, a[1]), Math.max(last, a[1])];
  const cpu = process.cpuUsage(cpuAtReset);
  send({ kind: 'arrived', count: arrivals.length, first, last, cpuUs: cpu.user + cpu.system, arrivals });
}

/** Opens `count` connections, `inFlight` handshakes at a time (the listen backlog is finite). */
async function openAll(count: number, open: (i: number) => Promise<void>, inFlight = 100): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await open(next++);
    })
  );
}

process.on('message', async (command: Command) => {
  const started = clock();
  switch (command.kind) {
    case 'socketio': {
      const offset = sockets.length;
      await openAll(command.tokens.length, (i) => new Promise<void>((resolve, reject) => {
        const socket = io(command.url, { auth: { token: command.tokens[i] }, transports: ['websocket'], reconnection: false });
        socket.once('snapshot', () => resolve());
        socket.once('connect_error', reject);
        socket.on('delta', (delta) => arrived(offset + i, delta));
        sockets.push(socket);
      }));
      send({ kind: 'connected', clients: sockets.length, seconds: (clock() - started) / 1000 });
      break;
    }
    case 'ws': {
      await openAll(command.count, (i) => new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(command.url);
        socket.once('open', () => resolve());
        socket.once('error', reject);
        socket.on('message', (data) => arrived(100_000 + i, JSON.parse(data.toString())));
        raw.push(socket);
      }));
      send({ kind: 'connected', clients: raw.length, seconds: (clock() - started) / 1000 });
      break;
    }
    case 'reset':
      arrivals = [];
      cpuAtReset = process.cpuUsage();
      break;
    case 'await':
      waiting = { total: command.total, timer: setTimeout(answer, command.timeoutMs) };
      if (arrivals.length >= command.total) answer();
      break;
    case 'close':
      for (const s of sockets) s.disconnect();
      for (const s of raw) s.close();
      process.disconnect();
      break;
  }
});
