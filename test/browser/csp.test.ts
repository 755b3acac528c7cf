// The Content-Security-Policy in real Chromium: the wall (map workers, logo), the admin pages and
// the sign-in run with no violation reported, the headers are there, and another site cannot
// frame the wall.
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDisplayDir } from '../../server/app.ts';
import { invitedAdmin, type Admin } from '../helpers/admin.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { post, record, registerFleet } from '../helpers/fleet.ts';

const PASSWORD = 'a sunny lobby password';
let t: TestApp;
let browser: Browser;
let base: string;
let owner: Admin;

beforeAll(async () => {
  if (!existsSync(join(defaultDisplayDir, 'index.html'))) throw new Error('the display is not built: run `npm run build` first');
  t = await startTestApp({}, undefined, defaultDisplayDir);
  await registerFleet(t.app, t.root.authorization);
  await post(t.app, t.root.authorization, { records: [record('AKL-1', new Date(Date.now() - 60_000).toISOString(), 12, { power_w: 20_000 })] });
  owner = await invitedAdmin(t.app, t.root.authorization, 'dist', 'csp@sunrise.example', 'owner', PASSWORD);
  const logo = await sharp({ create: { width: 300, height: 100, channels: 4, background: '#2a9d8f' } }).png().toBuffer();
  const uploaded = await owner.call({ method: 'PUT', url: '/api/v1/admin/tenants/dist/logo', headers: { 'content-type': 'image/png' }, payload: logo });
  expect(uploaded.statusCode, uploaded.body).toBeLessThan(300);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A page that records every CSP violation and console error. */
async function watched(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const problems: string[] = [];
  await page.exposeFunction('reportViolation', (text: string) => problems.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportViolation(t: string): void }).reportViolation(`violation: ${e.violatedDirective} ${e.blockedURI}`)
    );
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

describe('content security policy', () => {
  it('sends the headers: the shell its policy with script hashes, every answer frame-ancestors, nosniff and no referrer', async () => {
    const shell = await fetch(`${base}/screen/x`);
    const csp = shell.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/worker-src 'self' blob:/);
    expect(csp).toMatch(/frame-ancestors 'self'/);
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    // One policy: the header, not a <meta> beside it.
    expect(await shell.text()).not.toMatch(/http-equiv="content-security-policy"/i);
    for (const url of ['/', '/screen/x', '/admin', '/api/v1/health', '/api/v1/nothing']) {
      const answer = await fetch(`${base}${url}`);
      expect(answer.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(answer.headers.get('referrer-policy'), url).toBe('no-referrer');
      expect(answer.headers.get('content-security-policy'), url).toMatch(/frame-ancestors 'self'/);
    }
    expect((await fetch(`${base}/api/v1/health`)).headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  it('runs the wall with its map and logo, and the admin pages, with no violation', async () => {
    const created = await owner.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/screens', payload: { name: 'CSP' } });
    const screen = created.json() as { url: string };
    const { page: wall, problems } = await watched();
    await wall.goto(`${base}${new URL(screen.url).pathname}`);
    await wall.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 60_000 });
    await wall.locator('[data-testid=map][data-ready=true]').waitFor({ timeout: 60_000 });
    await expect.poll(() => wall.locator('[data-testid=wall-logo]').evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 20_000 }).toBe(300);
    mkdirSync(join(process.cwd(), 'test-results'), { recursive: true });
    await wall.screenshot({ path: join(process.cwd(), 'test-results', 'wall-under-csp.png') });

    const { page: admin, problems: adminProblems } = await watched();
    await admin.goto(`${base}/admin/login`);
    await admin.locator('[data-testid=login-email]').fill('csp@sunrise.example');
    await admin.locator('[data-testid=login-password]').fill(PASSWORD);
    await admin.locator('[data-testid=login-submit]').click();
    await admin.waitForURL(/\/admin\/t\/dist/, { timeout: 30_000 });
    for (const section of ['branding', 'screens', 'keys', 'members', 'exports']) {
      await admin.goto(`${base}/admin/t/dist/${section}`);
      await admin.waitForLoadState('networkidle');
    }
    await admin.goto(`${base}/admin/t/dist/branding`);
    await admin.locator('[data-testid=branding-title]').waitFor({ timeout: 30_000 });
    expect([...problems, ...adminProblems]).toEqual([]);
  });

  it('will not be framed by another site', async () => {
    const { page, problems } = await watched();
    // A page of no origin of ours frames the wall: Chromium refuses to render it.
    await page.setContent(`<iframe id="f" src="${base}/screen/x"></iframe>`);
    await expect.poll(() => problems.some((p) => /frame-ancestors/.test(p)) || page.frames().some((f) => f.url().startsWith('chrome-error:')), { timeout: 15_000 }).toBe(true);
    expect(page.frames().some((f) => f.url().startsWith(base))).toBe(false);
  });
});
