import type { ServerResponse } from 'node:http';
import type { SandboxRequest } from './sandbox-request';

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * Reads request bodies itself instead of Nest's body parser, so that a body that is not JSON becomes
 * Fortnox's 2002115 answer (after authentication, as the API checks the token first) instead of
 * Express's HTML error page. Form bodies (the OAuth token endpoint) become a plain object.
 */
export function readBody(req: SandboxRequest, _res: ServerResponse, next: (err?: unknown) => void): void {
  if (req.method === 'GET' || req.method === 'HEAD') {
    next();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('error', next);
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    req.body = undefined;
    if (size > MAX_BODY_BYTES) {
      req.sandboxBodyError = true;
    } else if (/application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
      req.body = Object.fromEntries(new URLSearchParams(text));
    } else if (text.trim() !== '') {
      try {
        req.body = JSON.parse(text);
      } catch {
        req.sandboxBodyError = true;
      }
    }
    next();
  });
}
