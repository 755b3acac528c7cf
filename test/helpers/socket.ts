// Waiting for one event on a real socket.io-client screen socket, with a time limit.
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract.ts';

export type ScreenSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The payload of the socket's next `event`; rejects after `timeoutMs`. */
export function next<E extends keyof ServerToClientEvents>(socket: ScreenSocket, event: E, timeoutMs = 5000): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, ((payload: never) => {
      clearTimeout(timer);
      resolve(payload);
    }) as never);
  });
}
