// Logo uploads through the admin API: checked by content, re-encoded, stored by hash, served so
// that nothing inside can run, and shown on the tenant's walls.
import sharp from 'sharp';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../server/contract.ts';
import { invitedAdmin, type Admin } from '../../helpers/admin.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { registerFleet } from '../../helpers/fleet.ts';

/** A PNG whose header declares width x height; what follows does not matter, it must be refused first. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(1024))), chunk('IEND', Buffer.alloc(0))]);
}

let t: TestApp;
let owner: Admin;
const upload = (body: Buffer, contentType = 'application/octet-stream', tenant = 'dist') =>
  owner.call({ method: 'PUT', url: `/api/v1/admin/tenants/${tenant}/logo`, headers: { 'content-type': contentType }, payload: body });

beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
  owner = await invitedAdmin(t.app, t.root.authorization, 'dist', 'olga@sunrise.example', 'owner');
});
afterAll(() => t.close());

describe('logo upload', () => {
  it('stores a re-encoded PNG under its hash, serves it sandboxed, and puts it on the wall', async () => {
    const jpeg = await sharp({ create: { width: 2400, height: 800, channels: 3, background: '#ff8800' } }).jpeg().toBuffer();
    const answer = await upload(jpeg, 'image/png');
    expect(answer.statusCode, answer.body).toBe(200);
    const { logo_url } = answer.json() as { logo_url: string };
    expect(logo_url).toMatch(/^\/api\/v1\/logos\/[0-9a-f]{64}\.png$/);
    const served = await t.app.inject({ method: 'GET', url: logo_url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['content-security-policy']).toMatch(/sandbox/);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(served.rawPayload).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeLessThanOrEqual(1200);
    const snapshot = (await owner.call({ method: 'GET', url: '/api/v1/admin/tenants/cust-nz/snapshot' })).json() as Snapshot;
    expect(snapshot.tenant.logo_url).toBe(logo_url);
  });

  it('rejects hostile files with a 4xx naming the logo, and keeps the previous logo', async () => {
    const before = ((await owner.call({ method: 'GET', url: '/api/v1/admin/tenants/dist/branding' })).json() as { own: { logo_url: string } }).own.logo_url;
    const bomb = pngHeaderOnly(20_000, 20_000); // 400 megapixels declared in a few bytes
    const cases: [Buffer, number][] = [
      [Buffer.from('<html><script>alert(1)</script></html>'), 415],
      [Buffer.from('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>'), 400],
      [bomb, 400],
      [Buffer.alloc(2 * 1024 * 1024 + 1, 0x89), 413],
      [Buffer.alloc(0), 400]
    ];
    for (const [body, status] of cases) {
      const answer = await upload(body, 'image/svg+xml');
      expect(answer.statusCode, body.subarray(0, 40).toString()).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode).toBeLessThan(500);
      if (body.length > 0) expect(answer.statusCode).toBe(status);
    }
    const after = ((await owner.call({ method: 'GET', url: '/api/v1/admin/tenants/dist/branding' })).json() as { own: { logo_url: string } }).own.logo_url;
    expect(after).toBe(before);
  });

  it('turns an SVG with script into plain pixels', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" onload="alert(1)"><script>alert(2)</script><rect width="200" height="100" fill="#0a0"/></svg>');
    const answer = await upload(svg, 'text/plain');
    expect(answer.statusCode, answer.body).toBe(200);
    const served = await t.app.inject({ method: 'GET', url: (answer.json() as { logo_url: string }).logo_url });
    expect(served.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect(served.rawPayload.includes(Buffer.from('alert'))).toBe(false);
  });

  it('answers 404 for a logo that is not there, whatever the name', async () => {
    for (const name of ['0'.repeat(64) + '.png', '..%2F..%2Fetc%2Fpasswd', 'x.svg']) {
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/logos/${name}` })).statusCode).toBe(404);
    }
  });
});
