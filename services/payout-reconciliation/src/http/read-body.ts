import { BadRequestException, HttpException } from '@nestjs/common';
import { BodyTooLargeError, readRawBody } from '@ledgerline/service-kit';
import type { IncomingMessage } from 'node:http';

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
