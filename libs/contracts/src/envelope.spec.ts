import { order727 } from './__fixtures__/woocommerce';
import { violationOf } from './__fixtures__/violations';
import { assertValidEnvelope, envelope, isEnvelopeOf, parseEnvelope, type EventEnvelope } from './envelope';
import { OrderPlaced } from './orders/order-placed.v1';
import { OrderUpdated } from './orders/order-updated.v1';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ctx = { tenantId: 'acme', storeId: 'us-store' };

function placed(): EventEnvelope<OrderPlaced> {
  return envelope.of(new OrderPlaced({ order: order727() }), ctx);
}

/** A JSON copy of a valid envelope that a test may damage. */
function raw(): EventEnvelope<{ order: Record<string, unknown> }> {
  return JSON.parse(JSON.stringify(placed()));
}

describe('envelope.of', () => {
  it('takes type and schema version from the event class and stamps a fresh UUID v4 id', () => {
    const env = placed();

    expect(env).toMatchObject({ type: 'order.placed', schemaVersion: 1, tenantId: 'acme', storeId: 'us-store' });
    expect(env.id).toMatch(UUID);
    expect(placed().id).not.toBe(env.id);
  });

  it('starts a new chain when nothing caused the event: its own id is the correlation id and there is no causation', () => {
    const env = placed();

    expect(env.correlationId).toBe(env.id);
    expect(env.causationId).toBeNull();
  });

  it('continues the chain of the causing envelope: copies its correlation id and records it as the cause', () => {
    const cause = placed();
    const effect = envelope.of(new OrderUpdated({ order: order727() }), { ...ctx, causedBy: cause });

    expect(effect.correlationId).toBe(cause.correlationId);
    expect(effect.causationId).toBe(cause.id);
    expect(effect.id).not.toBe(cause.id);
  });

  it('accepts a non-envelope cause such as a document intent row carrying id and correlationId', () => {
    const effect = envelope.of(new OrderUpdated({ order: order727() }), { ...ctx, causedBy: { id: '42', correlationId: 'corr-7' } });

    expect(effect).toMatchObject({ correlationId: 'corr-7', causationId: '42' });
  });

  it('defaults occurredAt to now and writes a given Date in ISO-8601 UTC', () => {
    const before = Date.now();
    const now = placed();
    const fixed = envelope.of(new OrderPlaced({ order: order727() }), { ...ctx, occurredAt: new Date(Date.UTC(2024, 5, 10, 7, 1, 44)) });

    expect(Date.parse(now.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(now.occurredAt)).toBeLessThanOrEqual(Date.now());
    expect(fixed.occurredAt).toBe('2024-06-10T07:01:44.000Z');
  });

  it('keeps the event instance as the payload', () => {
    const event = new OrderPlaced({ order: order727() });

    expect(envelope.of(event, ctx).payload).toBe(event);
  });

  it('refuses an object literal, which carries no event type', () => {
    const error = violationOf(() => envelope.of({ order: order727() }, ctx));

    expect(error.code).toBe('CONTRACT_EVENT_TYPE_UNKNOWN');
    expect(error.problems[0]).toContain('Object is not a canonical event class');
    expect(error.problems[0]).toContain('OrderPlaced');
  });

  it('refuses to build an envelope around an invalid event, before it can reach an outbox', () => {
    const order = order727();
    order.customer.email = 'not-an-email';

    const error = violationOf(() => envelope.of(new OrderPlaced({ order }), ctx));

    expect(error.code).toBe('CONTRACT_EVENT_INVALID');
    expect(error.problems).toEqual([
      'payload.order.customer.email: must be an email address, like "jane@example.com" (got "not-an-email")',
    ]);
  });

  it('refuses an occurredAt string that is not in toISOString form', () => {
    const error = violationOf(() => envelope.of(new OrderPlaced({ order: order727() }), { ...ctx, occurredAt: '2024-06-10 07:01:44' }));

    expect(error.problems).toEqual([
      'occurredAt: must be a UTC timestamp as written by Date.toISOString(), like "2024-06-10T07:01:44.000Z" (got "2024-06-10 07:01:44")',
    ]);
  });
});

describe('parseEnvelope', () => {
  it('reads back what envelope.of built, from a string or Kafka bytes, with the payload as an event instance', () => {
    const env = placed();
    const json = JSON.stringify(env);

    const fromString = parseEnvelope(json);
    const fromBuffer = parseEnvelope(Buffer.from(json, 'utf8'));

    expect(JSON.parse(JSON.stringify(fromString))).toEqual(JSON.parse(json));
    expect(fromBuffer.id).toBe(env.id);
    expect(fromString.payload).toBeInstanceOf(OrderPlaced);
  });

  it('reports text that is not JSON as malformed', () => {
    const error = violationOf(() => parseEnvelope('{"id": '));

    expect(error.code).toBe('CONTRACT_EVENT_MALFORMED');
    expect(error.problems[0]).toMatch(/^message: is not valid JSON \(/);
    expect(error.operatorMessage).toContain('not a Ledgerline event envelope');
  });

  it('reports JSON that is not an object as malformed', () => {
    const error = violationOf(() => parseEnvelope('[1, 2]'));

    expect(error.code).toBe('CONTRACT_EVENT_MALFORMED');
    expect(error.problems[0]).toContain('must be an event envelope object');
  });

  it('refuses a "__proto__" key, which would swap the prototype of the parsed payload', () => {
    const text = JSON.stringify(placed()).replace('"payload":{', '"payload":{"__proto__":{"polluted":true},');

    const error = violationOf(() => parseEnvelope(text));

    expect(error.code).toBe('CONTRACT_EVENT_MALFORMED');
    expect(error.problems[0]).toContain('"__proto__" is not allowed');
  });

  it('names an unknown event type and lists the known ones', () => {
    const env = { ...raw(), type: 'order.shipped' };

    const error = violationOf(() => parseEnvelope(JSON.stringify(env)));

    expect(error.code).toBe('CONTRACT_EVENT_TYPE_UNKNOWN');
    expect(error.eventType).toBe('order.shipped');
    expect(error.eventId).toBe(env.id);
    expect(error.problems).toEqual([expect.stringContaining('type: "order.shipped" is not a canonical event type; known types are order.placed, ')]);
    expect(error.message).toMatch(new RegExp(`^order\\.shipped ${env.id} type: `));
  });

  it('tells a newer schema version of a known type apart from an unknown type', () => {
    const env = { ...raw(), schemaVersion: 2 };

    const error = violationOf(() => parseEnvelope(JSON.stringify(env)));

    expect(error.code).toBe('CONTRACT_EVENT_TYPE_UNKNOWN');
    expect(error.problems).toEqual(['schemaVersion: order.placed v2 is not known to this build of @ledgerline/contracts, which knows v1']);
    expect(error.operatorMessage).toContain('Deploy a version of this service that knows this event type and version');
  });
});

describe('assertValidEnvelope', () => {
  it('accepts a valid envelope', () => {
    expect(() => assertValidEnvelope(placed())).not.toThrow();
  });

  it('lists every bad envelope field at once, with what to write instead', () => {
    const env = { ...raw(), id: 'abc', tenantId: '', schemaVersion: 1, correlationId: undefined } as unknown as EventEnvelope;

    const error = violationOf(() => assertValidEnvelope(env));

    expect(error.code).toBe('CONTRACT_EVENT_INVALID');
    expect(error.problems).toEqual([
      'id: must be a UUID, like "3b241101-e2bb-4255-8caf-4136c566a962" (got "abc")',
      'tenantId: must be a non-empty string (got "")',
      'correlationId: is missing; it must be a non-empty string',
    ]);
  });

  it('rejects fields an envelope does not have, pointing trace context to Kafka headers', () => {
    const env = { ...raw(), traceparent: '00-abc' } as unknown as EventEnvelope;

    const error = violationOf(() => assertValidEnvelope(env));

    expect(error.problems).toEqual([expect.stringMatching(/^traceparent: is not an envelope field; .*trace context goes in Kafka headers/)]);
  });

  it('rejects an envelope whose tenant or store differs from the order it carries', () => {
    const env = { ...raw(), tenantId: 'globex', storeId: 'eu-store' } as unknown as EventEnvelope;

    const error = violationOf(() => assertValidEnvelope(env));

    expect(error.problems).toEqual([
      'tenantId: is "globex" but payload.order.orderRef.tenantId is "acme"; the envelope must carry the tenant of the object the event is about',
      'storeId: is "eu-store" but payload.order.orderRef.storeId is "us-store"; the envelope must carry the store of the object the event is about',
    ]);
  });

  it('names the event, the business object and the way out in the operator message', () => {
    const env = raw();
    (env.payload.order['totals'] as Record<string, unknown>)['total'] = 29.35;

    const error = violationOf(() => assertValidEnvelope(env as unknown as EventEnvelope));

    expect(error.operatorMessage).toBe(
      `Event order.placed ${env.id} for order 727 (tenant "acme", store "us-store") does not match its contract v1 and was not processed: ` +
        'payload.order.totals.total: must be an amount object like {"amount": "12.50", "currency": "EUR"} (got number 29.35). ' +
        "The service that produced it built an invalid event; fix that service's mapping, then replay the event under Parked events.",
    );
    expect(error.kind).toBe('permanent');
  });
});

describe('isEnvelopeOf', () => {
  it('narrows an envelope to the event class with the same type and version only', () => {
    const env: EventEnvelope = placed();

    expect(isEnvelopeOf(env, OrderPlaced)).toBe(true);
    expect(isEnvelopeOf(env, OrderUpdated)).toBe(false);
    if (isEnvelopeOf(env, OrderPlaced)) expect(env.payload.order.orderRef.orderId).toBe('727');
  });
});

describe('parseEnvelope as a tolerant reader', () => {
  it('drops fields a newer producer added instead of refusing the event', () => {
    const env = envelope.of(new OrderPlaced({ order: order727() }), { tenantId: 'acme', storeId: 'us-store' });
    const raw = JSON.parse(JSON.stringify(env));
    raw.payload.order.loyaltyTier = 'gold';
    raw.extraEnvelopeField = 1;
    const parsed = parseEnvelope(JSON.stringify(raw));
    expect(parsed.id).toBe(env.id);
    expect((parsed.payload as { order: Record<string, unknown> }).order['loyaltyTier']).toBeUndefined();
    expect((parsed as unknown as Record<string, unknown>)['extraEnvelopeField']).toBeUndefined();
    expect(() => assertValidEnvelope(raw)).toThrow(/loyaltyTier/);
  });
});

describe('exampleOrder', () => {
  it('is a valid order.placed payload for any tenant, store and order id', () => {
    const { exampleOrder } = jest.requireActual('./examples') as typeof import('./examples');
    const env = envelope.of(new OrderPlaced({ order: exampleOrder({ tenantId: 't1', storeId: 's1', orderId: '42', orderNumber: '42-7' }) }), { tenantId: 't1', storeId: 's1' });
    expect(parseEnvelope(JSON.stringify(env)).payload).toMatchObject({ order: { orderRef: { orderId: '42', orderNumber: '42-7' }, totals: { total: { amount: '249.00', currency: 'SEK' } } } });
  });
});
