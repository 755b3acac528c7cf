// `npm run admin -- invite-owner`: the first owner of a tenant, through a running server.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN } from '../../helpers/admin.ts';
import { ROOT_KEY, startTestApp, type TestApp } from '../../helpers/app.ts';
import { registerFleet } from '../../helpers/fleet.ts';

const run = promisify(execFile);
let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

const admin = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args, '--url', base], { env: { ...process.env, FLEETWALL_ROOT_KEY: ROOT_KEY } });

describe('admin CLI', () => {
  it('invites the first owner and prints a link that sets their password', async () => {
    const { stdout } = await admin('invite-owner', '--tenant', 'dist', '--email', 'first@sunrise.example');
    const link = stdout.trim().split('\n').pop()!;
    expect(link).toMatch(/\/admin\/invite\/[\w-]{40,}$/);
    const token = link.split('/').pop();
    const accepted = await t.app.inject({ method: 'POST', url: '/api/v1/auth/invitations/accept', headers: { origin: ORIGIN }, payload: { token, name: 'First', password: 'a long enough secret' } });
    expect(accepted.statusCode).toBe(200);
    expect(t.app.accounts.membersOf('dist')).toEqual([expect.objectContaining({ email: 'first@sunrise.example', role: 'owner' })]);
  });

  it('says clearly what is wrong', async () => {
    await expect(admin('invite-owner', '--tenant', 'nope', '--email', 'x@y.example')).rejects.toMatchObject({ stderr: expect.stringMatching(/404: tenant "nope" not found/) });
    await expect(admin('promote', '--tenant', 'dist')).rejects.toMatchObject({ stderr: expect.stringMatching(/usage/) });
  });
});
