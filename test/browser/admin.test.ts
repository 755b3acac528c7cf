// What a distributor's admin and a lobby wall see, in headless Chromium against the real
// server: pairing through the screen URL, revocation, and branding changed in /admin reaching
// an open wall without a reload.
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDisplayDir } from '../../server/app.ts';
import { invitedAdmin, type Admin } from '../helpers/admin.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { post, record, registerFleet } from '../helpers/fleet.ts';

const artifacts = join(process.cwd(), 'test-results');
const PASSWORD = 'correct horse battery';
let t: TestApp;
let browser: Browser;
let base: string;
let owner: Admin;

async function createScreen(name: string): Promise<{ id: string; url: string; token: string }> {
  const created = await owner.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/screens', payload: { name } });
  expect(created.statusCode).toBe(201);
  const screen = created.json() as { id: string; url: string; token: string };
  // The server hands out URLs on the Host it was asked on; the browser reaches it on `base`.
  return { ...screen, url: `${base}${new URL(screen.url).pathname}` };
}

async function openWall(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(url);
  await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 60_000 });
  return page;
}

beforeAll(async () => {
  t = await startTestApp({}, undefined, defaultDisplayDir);
  await registerFleet(t.app, t.root.authorization);
  await post(t.app, t.root.authorization, { records: [record('AKL-1', new Date(Date.now() - 60_000).toISOString(), 12, { power_w: 20_000 })] });
  owner = await invitedAdmin(t.app, t.root.authorization, 'dist', 'olga@sunrise.example', 'owner', PASSWORD);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  mkdirSync(artifacts, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('screens in a browser', () => {
  it('pairs through the screen URL, drops the code from the address bar, and shows a revoked screen as such', async () => {
    const screen = await createScreen('Lobby');
    const code = new URL(screen.url).pathname.split('/').pop()!;
    const page = await openWall(screen.url);
    expect(page.url()).toBe(`${base}/screen/${screen.id}`);
    expect(page.url()).not.toContain(code);
    expect(await page.evaluate(() => document.referrer)).toBe('');
    // The pairing is a cookie the page's scripts cannot read.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    // A reload stays paired.
    await page.reload();
    await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 60_000 });

    const revokedAt = Date.now();
    expect((await owner.call({ method: 'DELETE', url: `/api/v1/admin/screens/${screen.id}` })).statusCode).toBe(204);
    await page.locator('[data-testid=screen-revoked]').waitFor({ timeout: 5_000 });
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    await page.screenshot({ path: join(artifacts, 'screen-revoked.png') });
    await page.close();
  });
});

describe('branding in a browser', () => {
  it('logs in, uploads a logo, changes the title, and an open wall follows without a reload', async () => {
    const wall = await openWall((await createScreen('Showroom')).url);
    await wall.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    expect(await wall.locator('[data-testid=wall-title]').innerText()).toBe('Sunrise Distribution');

    const admin = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await admin.goto(`${base}/admin/login`);
    await admin.locator('[data-testid=login-email]').fill('olga@sunrise.example');
    await admin.locator('[data-testid=login-password]').fill(PASSWORD);
    await admin.locator('[data-testid=login-submit]').click();
    await admin.waitForURL(/\/admin\/t\/dist/, { timeout: 30_000 });
    await admin.goto(`${base}/admin/t/dist/branding`);

    const inherit = admin.locator('[data-testid=branding-title-inherit]');
    if ((await inherit.count()) > 0 && (await inherit.isChecked())) await inherit.uncheck();
    await admin.locator('[data-testid=branding-title]').fill('Sunrise Energy Lobby');
    const logo = join(artifacts, 'logo-upload.png');
    writeFileSync(logo, await sharp({ create: { width: 600, height: 200, channels: 4, background: '#f5a623' } }).png().toBuffer());
    await admin.locator('[data-testid=branding-logo-input]').setInputFiles(logo);
    // The preview shows the unsaved title before anything is saved.
    await expect.poll(() => admin.locator('[data-testid=branding-preview]').innerText(), { timeout: 10_000 }).toContain('Sunrise Energy Lobby');
    await admin.locator('[data-testid=branding-save]').click();
    await admin.locator('[data-testid=branding-saved]').waitFor({ timeout: 15_000 });
    await admin.screenshot({ path: join(artifacts, 'admin-branding.png') });

    await expect.poll(() => wall.locator('[data-testid=wall-title]').innerText(), { timeout: 10_000 }).toBe('Sunrise Energy Lobby');
    await expect.poll(() => wall.locator('[data-testid=wall-logo]').getAttribute('src'), { timeout: 10_000 }).toMatch(/^\/api\/v1\/logos\/[0-9a-f]{64}\.png$/);
    expect(await wall.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    await wall.screenshot({ path: join(artifacts, 'wall-branded.png') });
    await admin.close();
    await wall.close();
  });
});

describe('screens and exports in /admin', () => {
  async function signedIn(): Promise<Page> {
    const admin = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await admin.goto(`${base}/admin/login`);
    await admin.locator('[data-testid=login-email]').fill('olga@sunrise.example');
    await admin.locator('[data-testid=login-password]').fill(PASSWORD);
    await admin.locator('[data-testid=login-submit]').click();
    await admin.waitForURL(/\/admin\/t\/dist/, { timeout: 30_000 });
    return admin;
  }

  it('switches an open wall to another mode from the screens page', async () => {
    const screen = await createScreen('Control room');
    const wall = await openWall(screen.url);
    const admin = await signedIn();
    await admin.goto(`${base}/admin/t/dist/screens`);
    const row = admin.locator(`[data-testid=screen-row][data-screen-id="${screen.id}"]`);
    await row.locator('[data-testid=screen-mode]').selectOption('plants');
    const answer = admin.waitForResponse((r) => r.url().includes(`/api/v1/admin/screens/${screen.id}`) && r.request().method() === 'PATCH');
    await row.locator('[data-testid=screen-save]').click();
    const patched = await answer;
    expect(patched.status(), await patched.text()).toBe(200);
    await admin.locator('[data-testid=screen-saved]').waitFor({ timeout: 15_000 });
    await wall.locator('[data-testid=screen][data-mode=plants] [data-testid=mode-plants]').waitFor({ timeout: 15_000 });
    await admin.close();
    await wall.close();
  });

  it('downloads the plant list as CSV with progress', async () => {
    const admin = await signedIn();
    await admin.goto(`${base}/admin/t/dist/exports`);
    await admin.locator('[data-testid=export-report]').selectOption('plants');
    const [download] = await Promise.all([admin.waitForEvent('download', { timeout: 30_000 }), admin.locator('[data-testid=export-csv]').click()]);
    const path = await download.path();
    const text = (await import('node:fs')).readFileSync(path!, 'utf8');
    expect(text).toContain('Plant ID,Plant,Owner');
    expect(text).toContain('Auckland PV');
    await admin.locator('[data-testid=export-done]').waitFor({ timeout: 15_000 });
    await admin.screenshot({ path: join(artifacts, 'admin-exports.png') });
    await admin.close();
  });
});
