// The 500 screens of the server soak, in their own process: real socket.io-client connections
// that reconnect as walls do, each keeping the time of its last message.
import { io, type Socket } from 'socket.io-client';

export type ScreensCommand = { kind: 'open'; url: string; tokens: string[] } | { kind: 'sample' } | { kind: 'close' };
export type ScreensReply =
  | { kind: 'open'; connected: number }
  /** Screens connected now; those that heard nothing for 15 s (the heartbeat is 10 s); messages since the last sample. */
  | { kind: 'sample'; connected: number; silent: number; messages: number; reconnects: number };

const send = (reply: ScreensReply) => process.send!(reply);
const sockets: Socket[] = [];
const lastHeard: number[] = [];
let messages = 0;
let reconnects = 0;

process.on('message', async (command: ScreensCommand) => {
  if (command.kind === 'open') {
    let next = 0;
    // A few handshakes at a time: the listen backlog is finite.
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < command.tokens.length) {
          const i = next++;
          await new Promise<void>((resolve, reject) => {
            const socket = io(command.url, { auth: { token: command.tokens[i] }, transports: ['websocket'] });
            const heard = () => ((lastHeard[i] = Date.now()), messages++);
            socket.once('snapshot', () => resolve());
            socket.once('connect_error', reject);
            socket.on('snapshot', heard).on('delta', heard);
            socket.io.on('reconnect', () => reconnects++);
            sockets[i] = socket;
          });
        }
      })
    );
    send({ kind: 'open', connected: sockets.filter((s) => s.connected).length });
  } else if (command.kind === 'sample') {
    const now = Date.now();
    send({
      kind: 'sample',
      connected: sockets.filter((s) => s.connected).length,
      silent: lastHeard.filter((at) => now - at > 15_000).length,
      messages,
      reconnects
    });
    messages = 0;
  } else {
    for (const s of sockets) s.disconnect();
    process.disconnect();
  }
});
