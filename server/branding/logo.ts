// The logo pipeline: untrusted upload in, a clean PNG out. Everything served to walls is pixels
// re-encoded here, so nothing the client wrote (script, markup, metadata, trailing bytes) survives.
import { createHash } from 'node:crypto';
import sharp, { type Sharp } from 'sharp';
import { LogoError } from './error.ts';
import { sniffLogo } from './sniff.ts';
import { svgDensity, svgSource } from './svg.ts';

export { LogoError } from './error.ts';

export const MAX_LOGO_BYTES = 2 * 1024 * 1024;
export const MAX_LOGO_PIXELS = 40_000_000;

export interface ProcessedLogo {
  data: Buffer;
  contentType: 'image/png' | 'image/webp';
  hash: string; // sha256 hex of data: files are stored under it, never under a client's name
  width: number;
  height: number;
}

const BOX = { width: 1200, height: 600 };
const IN_FLIGHT = 2; // a decode holds up to a few hundred MB at the pixel limit; two at once bounds the heap
const TIMEOUT_SECONDS = 10; // a pathological SVG (filters, deep <use>) costs CPU, not bytes

// libvips caches decoded operations by default; an upload is never processed twice, so caching only costs memory.
sharp.cache(false);

export async function processLogo(input: Buffer): Promise<ProcessedLogo> {
  if (input.length > MAX_LOGO_BYTES) throw new LogoError(413, `logo must be at most ${MAX_LOGO_BYTES / 1024 / 1024} MB`);
  const sniffed = sniffLogo(input);
  if (!sniffed) throw new LogoError(415, 'logo must be a PNG, JPEG, WebP or SVG image');
  const source = sniffed.kind === 'svg' ? svgSource(sniffed.text, sniffed.rootAt) : input;
  const data = await gated(() => (sniffed.kind === 'svg' ? rasterizeSvg(source) : reencodeRaster(source, sniffed.kind)));
  return { ...data, contentType: 'image/png', hash: createHash('sha256').update(data.data).digest('hex') };
}

const decodeOptions = { failOn: 'error', limitInputPixels: MAX_LOGO_PIXELS } as const;

async function reencodeRaster(input: Buffer, kind: 'png' | 'jpeg' | 'webp') {
  // Header first: a tiny file can declare gigapixels, so refuse on the declared size before decoding a pixel.
  const meta = await sharpCall(() => sharp(input, decodeOptions).metadata());
  if (meta.format !== kind) throw new LogoError(400, `logo is not a valid ${kind.toUpperCase()} image`);
  checkPixels(meta.width, meta.height);
  return encode(sharp(input, { ...decodeOptions, autoOrient: true }));
}

async function rasterizeSvg(input: Buffer) {
  // librsvg is given a Buffer, so it has no base URL and refuses every file:/http: reference (tests prove it).
  const meta = await sharpCall(() => sharp(input, decodeOptions).metadata());
  if (meta.format !== 'svg') throw new LogoError(400, 'logo is not a valid SVG image');
  const { width, height } = checkPixels(meta.width, meta.height);
  return encode(sharp(input, { ...decodeOptions, density: svgDensity(width, height, BOX) }));
}

async function encode(image: Sharp) {
  // No withMetadata/keepMetadata: sharp strips EXIF, XMP, ICC and text chunks by default.
  const { data, info } = await sharpCall(() =>
    image
      .timeout({ seconds: TIMEOUT_SECONDS })
      .resize({ ...BOX, fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer({ resolveWithObject: true })
  );
  return { data, width: info.width, height: info.height };
}

function checkPixels(width: number | undefined, height: number | undefined) {
  if (!width || !height) throw new LogoError(400, 'logo has no size');
  if (width * height > MAX_LOGO_PIXELS) throw new LogoError(400, `logo must be at most ${MAX_LOGO_PIXELS / 1e6} megapixels (is ${width}x${height})`);
  return { width, height };
}

/** Any decoder failure is the upload's fault: answer 400 with a reason, never a 500. */
async function sharpCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LogoError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(reason)) throw new LogoError(400, `logo must be at most ${MAX_LOGO_PIXELS / 1e6} megapixels`);
    if (/timeout/i.test(reason)) throw new LogoError(400, 'logo is too complex to render');
    throw new LogoError(400, 'logo is truncated or corrupt and could not be decoded');
  }
}

// A small FIFO gate: at most IN_FLIGHT logos decode at once, the rest wait their turn.
let running = 0;
const waiting: (() => void)[] = [];

async function gated<T>(work: () => Promise<T>): Promise<T> {
  if (running < IN_FLIGHT) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve)); // the finisher hands its slot over
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
