// Pairing a screen: its URL carries a one-time code; opening it trades the code for an HttpOnly
// cookie bound to that screen and redirects to a clean URL, so the secret stays out of the
// address bar, history and Referer. The cookie outlives server restarts.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ownOrigin, SCREEN_COOKIE } from '../http/auth.ts';

const PAIRING_TTL_MS = 7 * 24 * 3_600_000;
const SCREEN_SESSION_TTL_MS = 10 * 365 * 24 * 3_600_000;

export async function pairingUrl(app: FastifyInstance, request: FastifyRequest | null, screenId: string): Promise<string> {
  const { secret } = await app.secrets.issue('screen_pairing', screenId, PAIRING_TTL_MS, app.now());
  const base = app.config.publicUrl ?? (request ? ownOrigin(request) : `http://localhost:${app.config.port}`);
  return `${base}/pair/${secret}`;
}

const failed = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pairing link not valid</title>
<style>body{margin:0;height:100vh;display:grid;place-items:center;background:#0b1016;color:#e6edf3;font:2vmin system-ui,sans-serif;text-align:center}</style></head>
<body><main><h1>This pairing link is not valid any more</h1><p>It was used already or it expired. Ask an admin of this wall for a new one.</p></main></body></html>`;

export default async function pairingRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { code: string } }>(
    '/pair/:code',
    { schema: { params: Type.Object({ code: Type.String({ maxLength: 128 }) }) } },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const pairing = app.secrets.find(request.params.code, 'screen_pairing', app.now());
      const screen = pairing && app.credentials.screens.get(pairing.subject_id);
      if (!pairing || !screen || screen.revoked) return reply.code(410).type('text/html; charset=utf-8').send(failed);
      await app.secrets.revoke(pairing);
      const session = await app.secrets.issue('screen_session', screen.id, SCREEN_SESSION_TTL_MS, app.now());
      void reply.setCookie(SCREEN_COOKIE, session.secret, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        maxAge: SCREEN_SESSION_TTL_MS / 1000
      });
      return reply.redirect(`/screen/${encodeURIComponent(screen.id)}`, 303);
    }
  );
}
