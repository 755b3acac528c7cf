// How a wall reconnects: a first retry after about 1 s, each next delay doubled up to 10 s, each
// moved by up to ±50 %, so that a room of walls (or thousands of them) that lost the server
// together does not knock on its door in lockstep when it comes back, and no wall waits more
// than ~15 s after the server is back. (At 30 s, a wall stayed frozen for half a minute after a
// restart; 2,000 walls spread over 10 s are 200 handshakes a second, which one server takes in
// its stride: test/soak/storm.soak.test.ts.) test/faults and test/soak use the same values.
export const RECONNECT = { reconnectionDelay: 1_000, reconnectionDelayMax: 10_000, randomizationFactor: 0.5 } as const;
