import { describe, expect, it } from 'vitest';
import { sniffLogo } from '../../../server/branding/sniff.ts';

const kind = (input: Buffer | string) => sniffLogo(Buffer.isBuffer(input) ? input : Buffer.from(input))?.kind ?? null;

describe('logo type sniffing', () => {
  it('recognises the raster types by their magic bytes', () => {
    expect(kind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(kind(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(kind(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('webp');
  });

  it('recognises SVG after a BOM, whitespace, an XML declaration, PIs and comments', () => {
    expect(kind('<svg xmlns="http://www.w3.org/2000/svg"/>')).toBe('svg');
    expect(kind('\uFEFF \n<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->\n<?xml-stylesheet href="a.css"?><svg>')).toBe('svg');
    expect(kind('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg>')).toBe('svg'); // so it can be refused with a precise 400
  });

  it('does not take markup, other images or other encodings for a logo', () => {
    expect(kind('')).toBeNull();
    expect(kind('<html><script>alert(1)</script></html>')).toBeNull();
    expect(kind('<!DOCTYPE html><svg>')).toBeNull();
    expect(kind('<svgx>')).toBeNull();
    expect(kind('hello <svg>')).toBeNull();
    expect(kind('GIF89a/*<svg>*/=1;alert(1)')).toBeNull();
    expect(kind('<!-- never closed <svg>')).toBeNull();
    expect(kind(Buffer.from('\uFEFF<svg>', 'utf16le'))).toBeNull(); // UTF-16 could hide a DOCTYPE from a UTF-8 scan
    expect(kind(Buffer.from([0x3c, 0x73, 0x76, 0x67, 0x3e, 0xff, 0xfe]))).toBeNull(); // not valid UTF-8
  });
});
