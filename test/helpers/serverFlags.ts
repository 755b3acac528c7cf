// The Node flags a server process runs with, read from package.json's `serve` script (which
// `npm start` runs), so that every test and benchmark that starts a server process starts it as
// production does.
import { readFileSync } from 'node:fs';

const serve: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts.serve;
const words = serve.trim().split(/\s+/);
const script = words.indexOf('server/main.ts');
if (words[0] !== 'node' || script < 0) throw new Error(`package.json's serve script is not "node … server/main.ts": ${serve}`);

/** The serve script's flags, its `--import tsx` left out: spawn(node, [...SERVER_NODE_FLAGS, '--import', 'tsx', script]). */
export const SERVER_NODE_FLAGS: readonly string[] = words.slice(1, script).filter((word, i, all) => word !== '--import' && all[i - 1] !== '--import');
