import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogoError, processLogo } from '../../../server/branding/logo.ts';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';
const svg = (body: string, size = 'width="200" height="100"') => Buffer.from(`<svg ${NS} ${size}>${body}</svg>`);

async function rejection(input: Buffer) {
  try {
    await processLogo(input);
  } catch (error) {
    if (error instanceof LogoError) return { status: error.statusCode, message: error.message };
    throw error;
  }
  throw new Error('logo was accepted');
}

/** Counts pure-red pixels: the bait files below are red, so any red in the output means a reference loaded. */
async function redPixels(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let red = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i]! > 200 && data[i + 1]! < 60 && data[i + 2]! < 60 && data[i + 3]! > 0) red++;
  return red;
}

// Bait the renderer could fetch: a red PNG and red CSS on disk and on a local HTTP server that logs every request.
let dir: string;
let server: Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logo-bait-'));
  const red = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).png().toBuffer();
  writeFileSync(join(dir, 'red.png'), red);
  writeFileSync(join(dir, 'red.css'), 'rect { fill: #f00 }');
  writeFileSync(join(dir, 'red.svg'), `<svg ${NS} width="8" height="8"><rect id="a" width="8" height="8" fill="#f00"/></svg>`);
  server = createServer((request, reply) => {
    requests.push(request.url ?? '');
    const css = request.url?.endsWith('.css');
    reply.writeHead(200, { 'content-type': css ? 'text/css' : 'image/png' }).end(css ? 'rect { fill: #f00 }' : red);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SVG logos', () => {
  it('rasterise to a PNG that fills the 1200x600 box, deterministically', async () => {
    const input = svg('<rect width="200" height="100" fill="#1478c8"/><circle cx="100" cy="50" r="40" fill="#fff"/>', 'width="200" height="100" viewBox="0 0 200 100"');
    const logo = await processLogo(input);
    expect(logo.data.subarray(0, 8)).toEqual(PNG_MAGIC);
    expect(logo).toMatchObject({ contentType: 'image/png', width: 1200, height: 600 });
    expect((await processLogo(input)).hash).toBe(logo.hash);
    const bom = Buffer.concat([Buffer.from('\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- logo -->\n'), input]);
    expect((await processLogo(bom)).hash).toBe(logo.hash);
  });

  it('load a data: image, so the "nothing red" checks below can fail', async () => {
    const red = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).png().toBuffer();
    const logo = await processLogo(svg(`<image href="data:image/png;base64,${red.toString('base64')}" width="200" height="100"/>`));
    expect(await redPixels(logo.data)).toBeGreaterThan(0);
  });
});

describe('hostile SVG', () => {
  it('neutralises script, event handlers, foreignObject and javascript: links: only pixels survive', async () => {
    const input = svg(
      `<script>alert(1)</script><script xlink:href="${base}/evil.js"/>` +
        `<rect width="200" height="100" fill="#0a0" onclick="alert(2)" onmouseover="alert(3)"/>` +
        `<foreignObject width="200" height="100"><html xmlns="http://www.w3.org/1999/xhtml"><body><script>alert(4)</script><iframe src="javascript:alert(5)"/></body></html></foreignObject>` +
        `<a href="javascript:alert(6)"><text y="50">click</text></a><animate attributeName="href" to="javascript:alert(7)"/>`,
      'width="200" height="100" onload="alert(0)"'
    );
    const logo = await processLogo(input);
    expect(logo.data.subarray(0, 8)).toEqual(PNG_MAGIC);
    for (const payload of ['<script', 'alert(', 'javascript:', 'onload', 'onclick', 'foreignObject', '<svg', 'html']) expect(logo.data.includes(payload), payload).toBe(false);
  });

  it('never loads external references: file://, relative, http, stylesheets, @import, <use>, feImage, XInclude', async () => {
    const started = performance.now();
    const hostile = [
      svg(`<image href="file://${dir}/red.png" width="200" height="100"/>`),
      svg(`<image xlink:href="file:///etc/passwd" width="200" height="100"/>`),
      svg(`<image href="${dir}/red.png" width="200" height="100"/><image href="red.png" width="200" height="100"/>`),
      svg(`<image href="${base}/x.png" width="200" height="100"/><image href="http://127.0.0.1:1/x.png" width="200" height="100"/>`),
      Buffer.from(`<?xml version="1.0"?><?xml-stylesheet type="text/css" href="${base}/s.css"?><?xml-stylesheet href="file://${dir}/red.css"?>${svg('<rect width="200" height="100"/>')}`),
      svg(`<style>@import url("${base}/i.css"); @import url("file://${dir}/red.css"); @font-face { font-family: x; src: url(${base}/f.ttf) }</style><rect width="200" height="100"/>`),
      svg(`<use href="${base}/u.svg#a"/><use href="file://${dir}/red.svg#a" width="200" height="100"/>`),
      svg(`<filter id="f"><feImage href="${base}/f.png"/><feImage href="file://${dir}/red.png"/></filter><rect width="200" height="100" filter="url(#f)"/>`),
      svg(`<text y="50" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></text>`),
      // A nested SVG in a data: URL gets no base either, and numeric character references do not smuggle a scheme past it.
      svg(`<image href="&#x64;ata:image/svg+xml;base64,${Buffer.from(`<svg ${NS} width="8" height="8"><image href="file://${dir}/red.png" width="8" height="8"/><image href="${base}/n.png" width="8" height="8"/></svg>`).toString('base64')}" width="200" height="100"/>`)
    ];
    for (const input of hostile) {
      const logo = await processLogo(input).catch((error: unknown) => error);
      if (logo instanceof LogoError) {
        expect(logo.statusCode).toBe(400); // refusing is as good as rendering nothing
        continue;
      }
      if (logo instanceof Error) throw logo;
      expect((logo as { data: Buffer }).data.includes('root:')).toBe(false);
      expect(await redPixels((logo as { data: Buffer }).data)).toBe(0);
    }
    expect(requests).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5_000); // http://127.0.0.1:1 is a closed port: nothing waits on it
  });

  it('refuses DOCTYPE and entity declarations before parsing (billion laughs, XXE)', async () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "ha">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('') +
      `]><svg ${NS} width="10" height="10"><text>&j;</text></svg>`;
    const xxe = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg ${NS}><text>&x;</text></svg>`;
    const dtd = `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "${base}/svg11.dtd"><svg ${NS} width="10" height="10"/>`;
    const late = `<svg ${NS} width="10" height="10"><!-- <!ENTITY hidden "x"> --></svg>`;
    for (const input of [laughs, xxe, dtd, late]) {
      expect(await rejection(Buffer.from(input))).toEqual({ status: 400, message: 'SVG logo must not contain a DOCTYPE or entity declarations' });
    }
    expect(requests).toEqual([]);
  });

  it('refuses SVGs whose declared size exceeds 40 megapixels, before rendering', async () => {
    for (const size of ['width="100000" height="100000"', 'viewBox="0 0 20000 20000"', 'width="7000" height="7000"', 'width="3000mm" height="3000mm"']) {
      const started = performance.now();
      expect(await rejection(svg('<rect width="10" height="10"/>', size))).toMatchObject({ status: 400, message: expect.stringContaining('40 megapixels') });
      expect(performance.now() - started).toBeLessThan(1_000);
    }
    // A large coordinate system drawn at a modest size is an ordinary export from design tools.
    expect(await processLogo(svg('<rect width="10000" height="10000"/>', 'width="400" height="200" viewBox="0 0 20000 10000"'))).toMatchObject({ width: 1200, height: 600 });
  });

  it('refuses an SVG that does not parse', async () => {
    expect((await rejection(Buffer.from(`<svg ${NS} width="10" height="10"><rect></svg>`))).status).toBe(400);
  });
});
