import { BadRequestException, HttpException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/** Thrown by {@link readRawBody} when the body is larger than allowed; the rest was drained. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

/**
 * Reads the request body as the exact bytes received (report hashes and Adyen signatures are computed over them), up
 * to `limit` bytes; beyond it the rest is drained so the client gets the 413 answer, then BodyTooLargeError is thrown.
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

/** Reads a JSON object body (at most `limit` bytes); 400 with `example` when it is not one, 413 when too large. */
export async function readJsonObject(req: IncomingMessage, example: string, limit = 256 * 1024): Promise<Record<string, unknown>> {
  let raw: Buffer;
  try {
    raw = await readRawBody(req, limit);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new HttpException({ statusCode: 413, code: 'ADMIN_BODY_TOO_LARGE', message: `Request bodies here are limited to ${limit} bytes.` }, 413);
    throw err;
  }
  let body: unknown;
  try {
    body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BadRequestException({ statusCode: 400, code: 'ADMIN_BODY_MALFORMED', message: `The body is not JSON; send an object like ${example}.` });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequestException({ statusCode: 400, code: 'ADMIN_BODY_MALFORMED', message: `The body must be a JSON object like ${example}.` });
  return body as Record<string, unknown>;
}
