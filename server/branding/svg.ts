import { LogoError } from './error.ts';

/**
 * The bytes handed to librsvg: the document from its `<svg` root on. Dropping the prolog drops any
 * `<?xml-stylesheet?>` and any `encoding=` declaration, so librsvg parses exactly the UTF-8 we checked.
 */
export function svgSource(text: string, rootAt: number): Buffer {
  // Entities are the only XML feature that expands input (billion laughs) or reaches outside it (XXE);
  // a logo never needs them, so refuse before any parser sees the document.
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(text)) throw new LogoError(400, 'SVG logo must not contain a DOCTYPE or entity declarations');
  return Buffer.from(text.slice(rootAt), 'utf8');
}

/** Density that renders the SVG's intrinsic size (at 72 dpi) to fit the box, so vectors stay sharp at wall size. */
export function svgDensity(width: number, height: number, box: { width: number; height: number }): number {
  const scale = Math.min(box.width / width, box.height / height);
  return Math.min(100_000, Math.max(1, 72 * scale)); // sharp accepts 1..100000 dpi
}
