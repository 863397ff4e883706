import { BadRequestException, NotFoundException } from '@nestjs/common';

/** One thing wrong with a request: the field and what to change. */
export interface Problem {
  field: string;
  problem: string;
}

/**
 * Collects every problem of a request body, so one answer says all that must change; `throwIfAny` answers 400
 * `{code, message, problems: [{field, problem}]}` with a message naming the object.
 */
export class Problems {
  readonly list: Problem[] = [];

  constructor(private readonly body: Record<string, unknown>) {}

  add(field: string, problem: string): void {
    this.list.push({ field, problem });
  }

  /** A string matching `pattern`; absent is allowed with `optional`. */
  text(field: string, pattern: RegExp, expected: string, optional = false): string | undefined {
    const v = this.body[field];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || !pattern.test(v)) {
      this.add(field, `must be ${expected}`);
      return undefined;
    }
    return v;
  }

  throwIfAny(code: string, what: string): void {
    if (this.list.length === 0) return;
    throw new BadRequestException({
      statusCode: 400,
      code,
      message: `${what}: ${this.list.map((p) => `${p.field} ${p.problem}`).join('; ')}.`,
      problems: this.list,
    });
  }
}

/** The body as an object; 400 naming the expected shape otherwise. */
export function objectBody(body: unknown, example: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestException({ statusCode: 400, code: 'CONTROL_BODY_MALFORMED', message: `Send a JSON object like ${example}.` });
  }
  return body as Record<string, unknown>;
}

export function notFound(code: string, message: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, code, message });
}

export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
