import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPing, parseWebhookHeaders, verifyWebhookSignature, wpSpecialcharsDecode } from './webhook-signature';
import { WooWebhookError } from './woocommerce.error';

// Worked example of ../shared/contracts/woocommerce/webhook-delivery.md §3 (read 2026-11-26): the
// exact body bytes (copied into __fixtures__) and the signatures the contract lists for them.
const body = readFileSync(join(__dirname, '__fixtures__', 'webhook-order-updated.body.json'));
const secret = 'wc-demo-secret-0123456789';
const signature = 'hPsNIR8W8zHJm6WCDxyN0GOlmgmLYotRhAftkSYDpMU=';

/** The headers of the contract's full example delivery, as Node hands them over (lower case). */
const deliveryHeaders = {
  host: 'erp.example.com',
  'user-agent': 'WooCommerce/9.1.2 Hookshot (WordPress/6.5.4)',
  'content-type': 'application/json',
  'x-wc-webhook-source': 'https://example.com/',
  'x-wc-webhook-topic': 'order.updated',
  'x-wc-webhook-resource': 'order',
  'x-wc-webhook-event': 'updated',
  'x-wc-webhook-signature': signature,
  'x-wc-webhook-id': '42',
  'x-wc-webhook-delivery-id': '5a0f2c3e9b7d41e8a6c2f1d0b3e4a5c6',
  'content-length': '2445',
};

describe('verifyWebhookSignature', () => {
  it('accepts the contract body with its signature', () => {
    expect(body.length).toBe(2445);
    expect(verifyWebhookSignature(body, signature, secret)).toBe(true);
  });

  it('rejects the same order re-serialized with JSON.stringify, and the body with a trailing newline', () => {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(verifyWebhookSignature(reserialized, signature, secret)).toBe(false);
    expect(verifyWebhookSignature(reserialized, 'hRC6V1Bapl5cdtJBDCG/sdP4JnWlS9atrSjWCdYRFNs=', secret)).toBe(true);
    expect(verifyWebhookSignature(Buffer.concat([body, Buffer.from('\n')]), signature, secret)).toBe(false);
  });

  it('rejects a wrong secret, a missing or empty header, and signatures of another length without throwing', () => {
    expect(verifyWebhookSignature(body, signature, 'another-secret')).toBe(false);
    expect(verifyWebhookSignature(body, undefined, secret)).toBe(false);
    expect(verifyWebhookSignature(body, '', secret)).toBe(false);
    expect(verifyWebhookSignature(body, signature.slice(0, -1), secret)).toBe(false);
    expect(verifyWebhookSignature(body, `${signature}A`, secret)).toBe(false);
    expect(verifyWebhookSignature(body, Buffer.from(signature, 'base64').toString('hex'), secret)).toBe(false);
  });

  it('keys the HMAC with the entity-decoded secret, as WooCommerce does', () => {
    const deleted = Buffer.from('{"id":727}');
    expect(verifyWebhookSignature(deleted, 'Hv450XzAgDIwULBR4js1vCLDUYjL+71abT51udTCgy4=', secret)).toBe(true);
    expect(verifyWebhookSignature(deleted, 'vrNjW1/3/NJ4+b5WL00NINC5L5b5sd6rNPT1/WhUaJM=', 'abc&def')).toBe(true);
    expect(verifyWebhookSignature(deleted, 'vrNjW1/3/NJ4+b5WL00NINC5L5b5sd6rNPT1/WhUaJM=', 'abc&amp;def')).toBe(true);
    expect(verifyWebhookSignature(deleted, 'CivtPNrRsxQgsYNRn0QSDSE1gfj6BmUJv2ByLFrLTCQ=', 'abc&amp;def')).toBe(false);
  });

  it('refuses to verify with an empty secret or a body that is not the raw bytes', () => {
    const err = (() => {
      try {
        verifyWebhookSignature(body, signature, '');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(WooWebhookError);
    expect(err).toMatchObject({ code: 'WOO_WEBHOOK_SECRET_MISSING', kind: 'permanent' });
    expect(() => verifyWebhookSignature(body.toString('utf8') as unknown as Buffer, signature, secret)).toThrow(TypeError);
  });
});

describe('wpSpecialcharsDecode', () => {
  it('decodes the quote and markup entities once, named and numeric', () => {
    expect(wpSpecialcharsDecode('&lt;a&gt; &quot;x&quot; &#039;y&#39; &#x27;z&#X27; &#038; &#x26; &amp;lt;')).toBe('<a> "x" \'y\' \'z\' & & &lt;');
    expect(wpSpecialcharsDecode('plain-secret')).toBe('plain-secret');
  });
});

describe('parseWebhookHeaders', () => {
  it('reads the contract example delivery from Node headers and from fetch Headers', () => {
    const expected = { topic: 'order.updated', resource: 'order', event: 'updated', webhookId: 42, deliveryId: '5a0f2c3e9b7d41e8a6c2f1d0b3e4a5c6', source: 'https://example.com/', signature };
    expect(parseWebhookHeaders(deliveryHeaders)).toEqual(expected);
    expect(parseWebhookHeaders(new Headers(deliveryHeaders))).toEqual(expected);
  });

  it('names every missing or malformed header in one error', () => {
    const { ['x-wc-webhook-signature']: _sig, ['x-wc-webhook-delivery-id']: _id, ...partial } = deliveryHeaders;
    try {
      parseWebhookHeaders({ ...partial, 'x-wc-webhook-id': 'abc', 'x-wc-webhook-topic': 'order.deleted' });
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(WooWebhookError);
      const err = e as WooWebhookError;
      expect(err.code).toBe('WOO_WEBHOOK_HEADERS_INVALID');
      expect(err.context['problems']).toEqual([
        'X-WC-Webhook-Delivery-ID is missing',
        'X-WC-Webhook-Signature is missing',
        'X-WC-Webhook-Topic "order.deleted" does not match resource "order" and event "updated"',
        'X-WC-Webhook-ID "abc" is not a positive integer',
      ]);
    }
  });
});

describe('isPing', () => {
  it('recognises the unsigned webhook_id=N form post WooCommerce sends on creation', () => {
    const pingHeaders = { 'user-agent': 'WooCommerce/9.1.2 Hookshot (WordPress/6.5.4)', 'content-type': 'application/x-www-form-urlencoded' };
    expect(isPing(Buffer.from('webhook_id=42'), pingHeaders)).toBe(true);
  });

  it('does not take a signed delivery or another body for a ping', () => {
    expect(isPing(Buffer.from('webhook_id=42'), { 'x-wc-webhook-signature': 'abc' })).toBe(false);
    expect(isPing(body, {})).toBe(false);
    expect(isPing(Buffer.from('webhook_id=42&x=1'), {})).toBe(false);
  });
});
