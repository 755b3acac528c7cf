// The display's HTML shell and its Content-Security-Policy. SvelteKit writes the policy (with the
// hash of its inline bootstrap script, see svelte.config.js) into a <meta> of the built shell;
// the server sends it as a header instead, where it can also carry frame-ancestors, and drops
// the <meta> so that one policy applies. A configured map style adds the hosts it loads from.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Shell {
  html: string;
  csp: string;
}

const META = /<meta http-equiv="content-security-policy" content="([^"]*)"\s*\/?>/i;

/** The policy for everything that is not the shell: API answers, files, the pairing page. */
export const RESPONSE_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    styleSrc: ["'unsafe-inline'"],
    imgSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    // The admin's live preview frames the wall from the same origin; nobody else may.
    frameAncestors: ["'self'"]
  }
};

export function loadShell(displayDir: string, mapStyle: string | null): Shell | null {
  const path = join(displayDir, 'index.html');
  if (!existsSync(path)) return null;
  const built = readFileSync(path, 'utf8');
  const meta = META.exec(built);
  if (!meta) throw new Error(`${path} has no Content-Security-Policy: build the display with kit.csp set`);
  const directives = meta[1].split(';').map((d) => d.trim()).filter(Boolean);
  // A map style's tiles, glyphs and sprites come from hosts only the style names.
  const widened = mapStyle === null ? directives : directives.map((d) => (/^(connect-src|img-src|font-src) /.test(d) ? `${d} https:` : d));
  return { html: built.replace(META, ''), csp: [...widened, "frame-ancestors 'self'"].join('; ') };
}
