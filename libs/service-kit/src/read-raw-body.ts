import type { IncomingMessage } from 'node:http';

/** Thrown by {@link readRawBody} when the body is larger than allowed; the rest of the body was read and discarded. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

/**
 * Reads the request body as the exact bytes received (signatures are computed over them, webhook-delivery.md §3),
 * up to `limit` bytes. Beyond it, the rest is drained without being kept, so the client gets the 413 answer
 * instead of a reset connection, and then BodyTooLargeError is thrown. The app runs with Nest's body parser off.
 */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number(req.headers['content-length'] ?? 0) > limit;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (tooLarge) continue;
    size += chunk.length;
    if (size > limit) {
      tooLarge = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk);
  }
  if (tooLarge) throw new BodyTooLargeError(limit);
  return Buffer.concat(chunks);
}
