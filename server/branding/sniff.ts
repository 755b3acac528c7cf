// Decides what an upload is from its bytes alone: the name and declared type are the client's word.
export type LogoKind = 'png' | 'jpeg' | 'webp' | 'svg';

export type Sniffed = { kind: 'png' | 'jpeg' | 'webp' } | { kind: 'svg'; text: string; rootAt: number };

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

const startsWith = (input: Buffer, magic: number[], at = 0) => magic.every((byte, i) => input[at + i] === byte);
const ascii = (input: Buffer, from: number, to: number) => input.subarray(from, to).toString('latin1');

export function sniffLogo(input: Buffer): Sniffed | null {
  if (startsWith(input, PNG)) return { kind: 'png' };
  if (startsWith(input, JPEG)) return { kind: 'jpeg' };
  if (input.length >= 12 && ascii(input, 0, 4) === 'RIFF' && ascii(input, 8, 12) === 'WEBP') return { kind: 'webp' };
  return sniffSvg(input);
}

function sniffSvg(input: Buffer): Sniffed | null {
  let text: string;
  try {
    // fatal: only valid UTF-8 is SVG here, so the text we inspect is the text librsvg reads (no UTF-16/UTF-7 disguise).
    text = new TextDecoder('utf-8', { fatal: true }).decode(input); // also drops a leading BOM
  } catch {
    return null;
  }
  const rootAt = skipProlog(text);
  // A DOCTYPE naming svg is still an SVG, so the caller can refuse it with a precise 400 rather than a 415.
  if (/^<svg[\s/>]/.test(text.slice(rootAt, rootAt + 5)) || /^<!DOCTYPE\s+svg[\s>[]/i.test(text.slice(rootAt, rootAt + 20))) {
    return { kind: 'svg', text, rootAt };
  }
  return null;
}

/** Index just past the whitespace, `<?xml ...?>` / other PIs and comments before the root; a loop, not a regex, so no backtracking. */
function skipProlog(text: string): number {
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
    const close = text.startsWith('<!--', at) ? '-->' : text.startsWith('<?', at) ? '?>' : null;
    if (!close) return at;
    const end = text.indexOf(close, at + 2);
    if (end < 0) return text.length;
    at = end + close.length;
  }
}
