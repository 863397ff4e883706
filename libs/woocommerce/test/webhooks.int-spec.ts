import { startWooSandbox, type WooSandbox } from './sandbox';
import { isPing, parseWebhookHeaders, verifyWebhookSignature, WooCommerceClient } from '../src';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const quiet = { info: () => undefined, warn: () => undefined };

describe('webhooks against the WooCommerce sandbox', () => {
  let sandbox: WooSandbox;
  let receiver: WebhookReceiver;
  let woo: WooCommerceClient;
  let orderIds: number[];

  beforeAll(async () => {
    sandbox = await startWooSandbox({ seed: 44 });
    receiver = await startWebhookReceiver();
    orderIds = sandbox.control.generateOrders(3, { webhooks: false, refundShare: 0 }).orderIds;
    woo = new WooCommerceClient({ siteUrl: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret, logger: quiet });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  it('creates, lists, pauses, re-activates and deletes a webhook; the ping it triggers is recognised', async () => {
    const created = await woo.createWebhook({ name: 'Ledgerline orders', topic: 'order.created', delivery_url: `${receiver.url}?case=crud`, secret: 'crud-secret' });
    expect(created).toMatchObject({ name: 'Ledgerline orders', topic: 'order.created', resource: 'order', event: 'created', status: 'active', delivery_url: `${receiver.url}?case=crud` });
    expect(created).not.toHaveProperty('secret');

    const ping = await receiver.next((r) => r.rawBody.toString() === `webhook_id=${created.id}`);
    expect(isPing(ping.rawBody, ping.headers)).toBe(true);
    expect(sandbox.control.webhook(created.id)?.pendingDelivery).toBe(false);

    expect((await woo.listWebhooks()).map((w) => w.id)).toContain(created.id);
    expect(await woo.updateWebhook(created.id, { status: 'paused' })).toMatchObject({ id: created.id, status: 'paused' });
    expect((await woo.listWebhooks({ status: 'paused' })).map((w) => w.id)).toEqual([created.id]);
    expect((await woo.listWebhooks({ status: 'active' })).map((w) => w.id)).not.toContain(created.id);
    expect((await woo.updateWebhook(created.id, { status: 'active' })).status).toBe('active');

    expect((await woo.deleteWebhook(created.id)).id).toBe(created.id);
    expect((await woo.listWebhooks()).map((w) => w.id)).not.toContain(created.id);
    await expect(woo.getWebhook(created.id)).rejects.toMatchObject({ code: 'WOO_NOT_FOUND', kind: 'permanent' });
  });

  it('verifies the signature of a real order.updated delivery over its raw body, and rejects it altered', async () => {
    const secret = 'Ledgerline-0123456789-abcdefghij';
    const webhook = await woo.createWebhook({ topic: 'order.updated', delivery_url: `${receiver.url}?case=signature`, secret });
    const orderId = orderIds[0] as number;

    sandbox.control.setOrderStatus(orderId, 'completed');
    const delivery = await receiver.next((r) => r.headers['x-wc-webhook-id'] === String(webhook.id) && r.headers['x-wc-webhook-signature'] !== undefined);

    expect(isPing(delivery.rawBody, delivery.headers)).toBe(false);
    const headers = parseWebhookHeaders(delivery.headers);
    expect(headers).toMatchObject({ topic: 'order.updated', resource: 'order', event: 'updated', webhookId: webhook.id, source: `${sandbox.url}/` });
    expect(verifyWebhookSignature(delivery.rawBody, headers.signature, secret)).toBe(true);
    expect(JSON.parse(delivery.rawBody.toString('utf8'))).toMatchObject({ id: orderId, status: 'completed' });

    const reserialized = Buffer.from(JSON.stringify(JSON.parse(delivery.rawBody.toString('utf8'))));
    expect(reserialized.equals(delivery.rawBody)).toBe(false); // WooCommerce escapes "/" as "\/"
    expect(verifyWebhookSignature(reserialized, headers.signature, secret)).toBe(false);
    expect(verifyWebhookSignature(delivery.rawBody, headers.signature, 'another-secret')).toBe(false);
    await woo.deleteWebhook(webhook.id);
  });

  it('verifies deliveries when the secret holds an HTML entity, which WooCommerce decodes before signing', async () => {
    const secret = 'tom&amp;jerry&lt;3';
    const webhook = await woo.createWebhook({ topic: 'order.updated', delivery_url: `${receiver.url}?case=entity`, secret });
    sandbox.control.setOrderStatus(orderIds[1] as number, 'on-hold');
    const delivery = await receiver.next((r) => r.headers['x-wc-webhook-id'] === String(webhook.id) && r.headers['x-wc-webhook-signature'] !== undefined);
    expect(verifyWebhookSignature(delivery.rawBody, delivery.headers['x-wc-webhook-signature'] as string, secret)).toBe(true);
    await woo.deleteWebhook(webhook.id);
  });

  it('refuses to create a webhook without a secret, which WooCommerce would never reveal', async () => {
    sandbox.control.resetCounters();
    await expect(woo.createWebhook({ topic: 'order.updated', delivery_url: receiver.url, secret: '' })).rejects.toMatchObject({ code: 'WOO_CLIENT_CONFIG_INVALID' });
    expect(sandbox.control.counters().requests).toEqual({});
  });
});
