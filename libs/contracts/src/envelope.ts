import { randomUUID } from 'node:crypto';
import { ContractViolationError } from './contract-violation.error';
import { definitionFor, definitionForClass, registeredEvents, type CanonicalEventClass, type EventDefinition } from './registry';
import { IsEventId, IsPlainObject, IsPositiveInteger, IsText, IsUtcTimestamp, isObject } from './validation/rules';
import { readPath } from './validation/read-path';
import { currencyProblems, describeValue, validateAs } from './validation/validate';

/**
 * The one shape every event travels in. W3C trace context goes in Kafka headers, not here.
 * Serialised as JSON; `payload` is the event class instance's own properties.
 */
export interface EventEnvelope<T = unknown> {
  /** UUID (v4 from crypto.randomUUID); consumers' inboxes dedupe on it. */
  id: string;
  /** The event type, e.g. `'order.placed'` (see `EventTypes`). */
  type: string;
  /** The payload's major schema version, e.g. 1. */
  schemaVersion: number;
  tenantId: string;
  /** The store the event is about; null for events that belong to no store (ERP stock levels, ERP customers). */
  storeId: string | null;
  /** When it happened, as written by Date.toISOString() (UTC). */
  occurredAt: string;
  /** Shared by every event of one causal chain; the first event's own id. */
  correlationId: string;
  /** The id of the event (or intent) that directly caused this one; null for a chain's first event. */
  causationId: string | null;
  payload: T;
}

/** What caused an event: an envelope, or anything else carrying the chain's ids (a document intent row). */
export interface CausedBy {
  id: string;
  correlationId: string;
}

/** Who and when, for {@link envelope}.of. */
export interface EnvelopeContext {
  tenantId: string;
  storeId: string | null;
  /** Defaults to now. A Date is written with toISOString(); a string must already be in that form. */
  occurredAt?: string | Date;
  /** Copies its correlationId and makes its id the causationId; without it the event starts a new chain. */
  causedBy?: CausedBy | null;
}

class EnvelopeFields {
  @IsEventId() id!: string;
  @IsText() type!: string;
  @IsPositiveInteger() schemaVersion!: number;
  @IsText() tenantId!: string;
  @IsText({ nullable: true }) storeId!: string | null;
  @IsUtcTimestamp() occurredAt!: string;
  @IsText() correlationId!: string;
  @IsText({ nullable: true }) causationId!: string | null;
  @IsPlainObject('the event object') payload!: object;
}

const ENVELOPE_FIELD_NAMES = Object.keys(new EnvelopeFields());

function of<T extends object>(event: T, ctx: EnvelopeContext): EventEnvelope<T> {
  const definition = definitionForClass((event as { constructor?: unknown }).constructor);
  if (!definition) {
    const name = (event as { constructor?: { name?: string } }).constructor?.name ?? typeof event;
    const known = registeredEvents().map((eventClass) => eventClass.name).join(', ');
    throw new ContractViolationError({
      code: 'CONTRACT_EVENT_TYPE_UNKNOWN',
      problems: [`payload: ${name} is not a canonical event class; pass an instance of one of ${known} (an object literal carries no event type)`],
    });
  }
  const id = randomUUID();
  const built: EventEnvelope<T> = {
    id,
    type: definition.eventClass.type,
    schemaVersion: definition.eventClass.schemaVersion,
    tenantId: ctx.tenantId,
    storeId: ctx.storeId,
    occurredAt: timestamp(ctx.occurredAt),
    correlationId: ctx.causedBy ? ctx.causedBy.correlationId : id,
    causationId: ctx.causedBy ? ctx.causedBy.id : null,
    payload: event,
  };
  check(built);
  return built;
}

function timestamp(value: string | Date | undefined): string {
  if (value === undefined) return new Date().toISOString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  return value;
}

/** The shape of {@link envelope}. */
export interface EnvelopeBuilder {
  /**
   * Gives a validated envelope around `event`, an instance of a registered canonical event class, which
   * supplies `type` and `schemaVersion`. With `ctx.causedBy` the envelope continues that chain (same
   * correlationId, causationId = causedBy.id); without it the new id is also the correlationId.
   *
   * Throws {@link ContractViolationError} when `event` is not a registered event class instance or breaks its
   * contract, so a wrong mapping fails in the producer, before anything reaches the outbox.
   */
  of<T extends object>(event: T, ctx: EnvelopeContext): EventEnvelope<T>;
}

/** Gives `envelope.of(event, ctx)`, the only way services build envelopes (see {@link EnvelopeBuilder.of}). */
export const envelope: EnvelopeBuilder = { of };

/**
 * Returns normally when `env`'s own fields and its payload match the contract registered for
 * (type, schemaVersion), including: no unknown fields, every amount in the event's currency, and the
 * envelope's tenant and store equal to the payload's.
 *
 * Throws {@link ContractViolationError} listing every problem with its property path:
 * `CONTRACT_EVENT_TYPE_UNKNOWN` when (type, schemaVersion) is not registered, `CONTRACT_EVENT_INVALID` otherwise.
 */
export function assertValidEnvelope(env: EventEnvelope): void {
  check(env);
}

/**
 * Gives the validated envelope read from raw Kafka bytes or a JSON string; its payload is an instance of the
 * registered event class (check the type with {@link isEnvelopeOf}). A tolerant reader: fields this build does not
 * know (added by a newer producer within the same major version) are dropped, not refused, so consumers need not be
 * deployed before producers. Producers stay strict (`envelope.of`, `assertValidEnvelope`).
 *
 * Throws {@link ContractViolationError}: `CONTRACT_EVENT_MALFORMED` for bytes that are not a JSON object,
 * otherwise as {@link assertValidEnvelope}.
 */
export function parseEnvelope(raw: string | Buffer): EventEnvelope {
  let parsed: unknown;
  try {
    const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : undefined;
    if (text === undefined) throw new SyntaxError(`expected a string or Buffer, got ${describeValue(raw)}`);
    parsed = JSON.parse(text, refusePrototypeKeys);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ContractViolationError({ code: 'CONTRACT_EVENT_MALFORMED', problems: [`message: is not valid JSON (${reason})`] });
  }
  return check(parsed, 'strip');
}

// class-transformer would assign a "__proto__" key onto instances, swapping their prototype.
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor') throw new SyntaxError(`the key "${key}" is not allowed in events`);
  return value;
}

/**
 * Tells whether `env` carries the event of `eventClass` (same type and schemaVersion), narrowing its payload type.
 * Only meaningful on an envelope that {@link parseEnvelope} or {@link assertValidEnvelope} accepted.
 */
export function isEnvelopeOf<T extends object>(env: EventEnvelope, eventClass: CanonicalEventClass<T>): env is EventEnvelope<T> {
  return env.type === eventClass.type && env.schemaVersion === eventClass.schemaVersion;
}

function check(candidate: unknown, unknownFields: 'reject' | 'strip' = 'reject'): EventEnvelope {
  if (!isObject(candidate)) {
    throw new ContractViolationError({
      code: 'CONTRACT_EVENT_MALFORMED',
      problems: [`message: must be an event envelope object with ${ENVELOPE_FIELD_NAMES.join(', ')} (got ${describeValue(candidate)})`],
    });
  }
  const type = typeof candidate['type'] === 'string' && candidate['type'] !== '' ? candidate['type'] : undefined;
  const id = typeof candidate['id'] === 'string' ? candidate['id'] : undefined;
  const rawVersion = candidate['schemaVersion'];
  const version = typeof rawVersion === 'number' && Number.isInteger(rawVersion) && rawVersion >= 1 ? rawVersion : undefined;
  const base = { eventType: type, eventId: id, schemaVersion: version };

  const fields = validateAs(
    EnvelopeFields,
    candidate,
    '',
    `is not an envelope field; an envelope has exactly ${ENVELOPE_FIELD_NAMES.join(', ')} (trace context goes in Kafka headers)`,
    unknownFields,
  );
  const problems = [...fields.problems];

  const definition = type !== undefined && version !== undefined ? definitionFor(type, version) : undefined;
  if (type !== undefined && version !== undefined && !definition) {
    throw new ContractViolationError({ ...base, code: 'CONTRACT_EVENT_TYPE_UNKNOWN', problems: [unknownTypeProblem(type, version), ...problems] });
  }
  const payloadInput = candidate['payload'];
  if (!definition || !isObject(payloadInput)) {
    throw new ContractViolationError({ ...base, code: 'CONTRACT_EVENT_INVALID', problems });
  }

  const label = `${type} v${version}`;
  const payload = validateAs(
    definition.eventClass,
    payloadInput,
    'payload',
    `is not part of ${label}; remove it, or add the field to the contract in libs/contracts first (additive fields stay in v${version})`,
    unknownFields,
  );
  problems.push(...payload.problems, ...currencyProblems(payload.instance, 'payload', definition.currencyPath, definition.ownCurrencyPaths), ...scopeProblems(definition, candidate, payloadInput));
  if (problems.length > 0) {
    throw new ContractViolationError({ ...base, code: 'CONTRACT_EVENT_INVALID', problems, subject: subjectOf(definition, candidate, payloadInput) });
  }
  const known = Object.fromEntries(ENVELOPE_FIELD_NAMES.map((name) => [name, candidate[name]]));
  return { ...(known as unknown as EventEnvelope), payload: payload.instance };
}

function unknownTypeProblem(type: string, version: number): string {
  const versions = registeredEvents()
    .filter((eventClass) => eventClass.type === type)
    .map((eventClass) => `v${eventClass.schemaVersion}`);
  if (versions.length > 0) {
    return `schemaVersion: ${type} v${version} is not known to this build of @ledgerline/contracts, which knows ${versions.join(', ')}`;
  }
  const known = [...new Set(registeredEvents().map((eventClass) => eventClass.type))].join(', ');
  return `type: "${type}" is not a canonical event type; known types are ${known}`;
}

// The key and the consumer's tenant isolation come from different places (payload vs envelope); they must agree.
function scopeProblems(definition: EventDefinition, env: Record<string, unknown>, payload: Record<string, unknown>): string[] {
  // Only compare values that are well-formed on both sides; malformed ones are already reported.
  const wellFormed = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
  const problems: string[] = [];
  const tenant = readPath(payload, definition.tenantPath);
  if (wellFormed(env['tenantId']) && wellFormed(tenant) && env['tenantId'] !== tenant) {
    problems.push(`tenantId: is "${env['tenantId']}" but payload.${definition.tenantPath} is "${tenant}"; the envelope must carry the tenant of the object the event is about`);
  }
  const envStore = env['storeId'];
  if (definition.storePath === null) {
    if (envStore !== null && envStore !== undefined) {
      problems.push(`storeId: must be null, because ${String(env['type'])} belongs to no store (got ${describeValue(envStore)})`);
    }
    return problems;
  }
  const store = readPath(payload, definition.storePath);
  const comparable = (value: unknown): boolean => value === null || wellFormed(value);
  if (comparable(envStore) && comparable(store) && envStore !== store) {
    problems.push(`storeId: is ${describeValue(envStore)} but payload.${definition.storePath} is ${describeValue(store)}; the envelope must carry the store of the object the event is about`);
  }
  return problems;
}

function subjectOf(definition: EventDefinition, env: Record<string, unknown>, payload: unknown): string | undefined {
  const object = definition.describe(payload);
  if (!object) return undefined;
  const where = [`tenant ${describeValue(env['tenantId'])}`];
  if (typeof env['storeId'] === 'string') where.push(`store ${describeValue(env['storeId'])}`);
  return `${object} (${where.join(', ')})`;
}

