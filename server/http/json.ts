// The JSON body parser: Fastify's own (secure-json-parse, refusing __proto__ and
// constructor.prototype keys), after a strict UTF-8 check, so that a body with broken bytes is
// refused rather than stored with replacement characters, and each refusal says what is wrong.
import { isAscii } from 'node:buffer';
import type { FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { ClientError } from '../errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseJsonBody(_request: FastifyRequest, body: Buffer, done: (error: Error | null, value?: unknown) => void): void {
  if (body.length === 0) return done(new ClientError(400, 'body', 'body is empty; send a JSON object'));
  let text: string;
  try {
    // Most bodies are ASCII: read as Latin-1, each byte is its character, and no byte needs checking.
    text = isAscii(body) ? body.toString('latin1') : utf8.decode(body);
  } catch {
    return done(new ClientError(400, 'body', 'body is not valid UTF-8'));
  }
  try {
    done(null, sjson.parse(text, { protoAction: 'error', constructorAction: 'error' }));
  } catch (error) {
    const poisoned = error instanceof SyntaxError && /prototype property/.test(error.message);
    done(new ClientError(400, 'body', poisoned ? 'body has a __proto__ or constructor.prototype key, which is refused' : `body is not valid JSON: ${(error as Error).message}`));
  }
}
