import { signWebhookBody, wpSpecialcharsDecode } from './webhook-signature';

describe('signWebhookBody', () => {
  // Worked examples from ../shared/contracts/woocommerce/webhook-delivery.md §3.
  it('matches the contract for an order.deleted body', () => {
    expect(signWebhookBody('{"id":727}', 'wc-demo-secret-0123456789')).toBe('Hv450XzAgDIwULBR4js1vCLDUYjL+71abT51udTCgy4=');
  });

  it('keys the HMAC with the entity-decoded secret', () => {
    expect(signWebhookBody('{"id":727}', 'abc&def')).toBe('vrNjW1/3/NJ4+b5WL00NINC5L5b5sd6rNPT1/WhUaJM=');
    expect(signWebhookBody('{"id":727}', 'abc&amp;def')).toBe('vrNjW1/3/NJ4+b5WL00NINC5L5b5sd6rNPT1/WhUaJM=');
  });
});

describe('wpSpecialcharsDecode', () => {
  it('decodes the quote and markup entities once', () => {
    expect(wpSpecialcharsDecode('&lt;a&gt; &quot;x&quot; &#039;y&#039; &amp;lt;')).toBe('<a> "x" \'y\' &lt;');
  });
});
