// npm run admin -- <command>: talks to a running Fleetwall with the root key (the embedded store
// belongs to the server process; a second process must not open it).
//   invite-owner --tenant <id> --email <address>     the first owner of a tenant
//   invite --tenant <id> --email <address> --role admin|viewer
// Options: --url (default http://localhost:$PORT), the root key from FLEETWALL_ROOT_KEY or
// $FLEETWALL_DATA/root.key.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { tenant: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, url: { type: 'string' } }
});
const [command] = positionals;
const fail = (message: string): never => {
  console.error(`fleetwall admin: ${message}`);
  process.exit(1);
};

if (command !== 'invite-owner' && command !== 'invite') fail('usage: npm run admin -- invite-owner|invite --tenant <id> --email <address> [--role admin|viewer] [--url <server>]');
if (!values.tenant || !values.email) fail('--tenant and --email are required');
const role = command === 'invite-owner' ? 'owner' : (values.role ?? 'admin');
if (!['owner', 'admin', 'viewer'].includes(role)) fail('--role must be admin or viewer');

const keyFile = join(resolve(process.env.FLEETWALL_DATA || './data'), 'root.key');
const rootKey = process.env.FLEETWALL_ROOT_KEY || (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : fail(`no root key: set FLEETWALL_ROOT_KEY or start the server once (${keyFile})`));
const base = (values.url ?? `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, '');

const response = await fetch(`${base}/api/v1/admin/tenants/${encodeURIComponent(values.tenant!)}/members`, {
  method: 'POST',
  headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({ email: values.email, role })
}).catch((error: unknown) => fail(`cannot reach ${base}: ${(error as Error).message}`));
const body = (await response.json()) as { message?: string; invitation?: { link: string } };
if (!response.ok) fail(`${response.status}: ${body.message ?? 'failed'}`);
console.log(`Invitation for ${values.email} as ${role} of ${values.tenant}. Send them this link (it works once, for 7 days):`);
console.log(body.invitation!.link);
