import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { LogoError, MAX_LOGO_BYTES, processLogo } from '../../../server/branding/logo.ts';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PAYLOADS = ['<script', 'alert(', 'javascript:', '<html'];

async function rejection(input: Buffer) {
  try {
    await processLogo(input);
  } catch (error) {
    if (error instanceof LogoError) return { status: error.statusCode, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('logo was accepted');
}

function expectCleanPng(data: Buffer) {
  expect(data.subarray(0, 8)).toEqual(PNG_MAGIC);
  for (const payload of PAYLOADS) expect(data.includes(payload), payload).toBe(false);
}

function chunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * A 1-bit greyscale, Adam7-interlaced PNG of zero rows: ~50 KB for 400 MP. Interlacing defeats libvips'
 * streaming decode, so without the pixel limit this one file costs ~410 MB of RSS and ~4 s to decode.
 */
function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 1], 8); // bit depth 1, greyscale, deflate, adaptive filter, Adam7
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;
  let bytes = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    if (columns > 0 && rows > 0) bytes += rows * (1 + Math.ceil(columns / 8)); // a filter byte, then 1 bit a pixel
  }
  return Buffer.concat([PNG_MAGIC, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(bytes))), chunk('IEND', Buffer.alloc(0))]);
}

/** Inserts a chunk right after IHDR (8 magic + 25 IHDR bytes). */
const withChunk = (png: Buffer, extra: Buffer) => Buffer.concat([png.subarray(0, 33), extra, png.subarray(33)]);

const solid = (width: number, height: number, channels: 3 | 4 = 4) =>
  sharp({ create: { width, height, channels, background: { r: 20, g: 120, b: 200, alpha: channels === 4 ? 0.5 : 1 } } });

describe('processLogo accepts ordinary logos', () => {
  it('re-encodes a PNG with alpha, without enlarging it, under its content hash', async () => {
    const input = await solid(300, 150).png().toBuffer();
    const logo = await processLogo(input);
    expectCleanPng(logo.data);
    expect(logo).toMatchObject({ contentType: 'image/png', width: 300, height: 150 });
    expect(logo.hash).toBe(createHash('sha256').update(logo.data).digest('hex'));
    expect((await sharp(logo.data).metadata()).hasAlpha).toBe(true);
    expect((await processLogo(Buffer.from(input))).hash).toBe(logo.hash);
  });

  it('shrinks a large logo to fit the 1200x600 box', async () => {
    expect(await processLogo(await solid(2400, 2400).png().toBuffer())).toMatchObject({ width: 600, height: 600 });
    expect(await processLogo(await solid(4000, 1000, 3).webp().toBuffer())).toMatchObject({ width: 1200, height: 300 });
  });

  it('turns a JPEG upright and drops its EXIF, GPS position included', async () => {
    const input = await solid(400, 200, 3)
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Copyright: 'SECRET-OWNER' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '13/1 24/1 0/1' } })
      .toBuffer();
    const exif = (await sharp(input).metadata()).exif;
    expect(exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the input really carries a GPS IFD pointer (tag 0x8825, little-endian)
    const logo = await processLogo(input);
    expect(logo).toMatchObject({ width: 200, height: 400 });
    const meta = await sharp(logo.data).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(logo.data.includes('SECRET-OWNER')).toBe(false);
    expect(logo.data.includes('Exif')).toBe(false);
  });

  it('accepts a WebP with alpha', async () => {
    const logo = await processLogo(await solid(320, 80).webp({ lossless: true }).toBuffer());
    expectCleanPng(logo.data);
    expect(logo).toMatchObject({ width: 320, height: 80 });
    expect((await sharp(logo.data).metadata()).hasAlpha).toBe(true);
  });
});

describe('processLogo refuses what is not a logo', () => {
  it('answers 415 for anything but PNG, JPEG, WebP or SVG by content', async () => {
    const html = await rejection(Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>')); // e.g. uploaded as logo.png
    expect(html).toEqual({ status: 415, field: 'logo', message: 'logo must be a PNG, JPEG, WebP or SVG image' });
    expect((await rejection(Buffer.alloc(0))).status).toBe(415);
    expect((await rejection(await solid(10, 10).gif().toBuffer())).status).toBe(415);
    expect((await rejection(await solid(10, 10).tiff().toBuffer())).status).toBe(415);
  });

  it('answers 413 past 2 MB, before looking at the content', async () => {
    expect((await rejection(Buffer.alloc(MAX_LOGO_BYTES + 1))).status).toBe(413);
    const png = await solid(10, 10).png().toBuffer();
    expect((await rejection(Buffer.concat([png, Buffer.alloc(MAX_LOGO_BYTES)]))).status).toBe(413);
  });

  it('answers 400 for a truncated or corrupt image', async () => {
    const noisy = sharp({ create: { width: 300, height: 300, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
    const png = await noisy.clone().png().toBuffer();
    const jpeg = await noisy.clone().jpeg().toBuffer();
    expect((await rejection(png.subarray(0, png.length / 2))).status).toBe(400);
    expect((await rejection(jpeg.subarray(0, jpeg.length / 2))).status).toBe(400);
    expect((await rejection(png.subarray(0, 8))).status).toBe(400);
  });
});

describe('processLogo against hostile files', () => {
  it('refuses a 400 MP decompression bomb from its header, quickly and in bounded memory', async () => {
    const bomb = pngBomb(20_000, 20_000);
    expect(bomb.length).toBeLessThan(100_000);
    const before = process.memoryUsage().rss;
    const started = performance.now();
    // Several at once: the gate and the header check together must keep the process small.
    const results = await Promise.all(Array.from({ length: 4 }, () => rejection(bomb)));
    const elapsed = performance.now() - started;
    const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
    console.info(`bomb x4: ${elapsed.toFixed(0)} ms, RSS +${grown.toFixed(1)} MB`);
    for (const result of results) expect(result).toMatchObject({ status: 400, message: expect.stringContaining('40 megapixels') });
    expect(elapsed).toBeLessThan(2_000);
    expect(grown).toBeLessThan(300);
  });

  it('decodes a 36 MP image just under the limit in bounded memory', async () => {
    const input = await solid(6000, 6000, 3).png().toBuffer();
    const before = process.memoryUsage().rss;
    const logo = await processLogo(input);
    const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
    console.info(`36 MP decode: RSS +${grown.toFixed(1)} MB`);
    expect(logo).toMatchObject({ width: 600, height: 600 });
    expect(grown).toBeLessThan(300);
  });

  it('refuses a GIF/JavaScript polyglot and HTML behind a PNG signature', async () => {
    expect((await rejection(Buffer.from('GIF89a/*\x00\x01\x00\x01*/=1;alert(document.domain)//'))).status).toBe(415);
    expect((await rejection(Buffer.concat([PNG_MAGIC, Buffer.from('<html><script>alert(1)</script></html>')]))).status).toBe(400);
  });

  it('drops HTML hidden in a PNG text chunk or appended after IEND', async () => {
    const png = await solid(64, 32).png().toBuffer();
    const html = Buffer.from('<html><script>alert(1)</script><a href="javascript:alert(2)">x</a></html>');
    const inText = withChunk(png, chunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), html])));
    const inZtxt = withChunk(png, chunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0'), html])));
    const appended = Buffer.concat([png, html]);
    for (const hostile of [inText, inZtxt, appended]) {
      expect(hostile.includes('<script')).toBe(true);
      const logo = await processLogo(hostile);
      expectCleanPng(logo.data);
      expect(logo).toMatchObject({ width: 64, height: 32 });
    }
  });

  it('drops HTML hidden in a JPEG comment', async () => {
    const jpeg = await solid(64, 32, 3).jpeg().toBuffer();
    const comment = Buffer.from('<script>alert(1)</script>');
    const segment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, comment.length + 2]), comment]);
    const logo = await processLogo(Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]));
    expectCleanPng(logo.data);
  });
});
