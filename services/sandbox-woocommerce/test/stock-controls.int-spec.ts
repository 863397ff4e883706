import { startWooSandbox, type WooSandbox } from '../src';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import { control as callControl, rest } from './woo-http';

describe('stock controls: grouped variations, SKU filters, stock edits by a shop manager', () => {
  let sandbox: WooSandbox;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    sandbox = await startWooSandbox({ assumeHttps: true, seed: 31 });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(() => sandbox.control.reset());

  it('puts exactly variationsPerParent variations under each variable product, the last one the rest', () => {
    const made = sandbox.control.generateProducts(500, { variationsShare: 0.5, variationsPerParent: 100, webhooks: false });
    expect(made.variationIds).toHaveLength(250);
    const sizes = made.parentSkus.map((sku) => sandbox.state.products.get(sandbox.state.skus.get(sku) as number)?.variations.length).sort();
    expect(sizes).toEqual([100, 100, 50]);
    const v = sandbox.state.products.get(made.variationIds[0] as number);
    expect(v?.sku).toMatch(/-S\d{3}$/);
    expect(() => sandbox.control.generateProducts(1, { variationsPerParent: 101 })).toThrow('variationsPerParent must be a whole number from 1 to 100');
  });

  it('finds products and variations by a comma list of SKUs, and variations of one product by SKU', async () => {
    const made = sandbox.control.generateProducts(20, { variationsShare: 0.5, variationsPerParent: 10, webhooks: false });
    const variation = sandbox.state.products.get(made.variationIds[0] as number);
    const simple = made.skus.find((sku) => sandbox.state.products.get(sandbox.state.skus.get(sku) as number)?.type === 'simple') as string;
    const both = await rest(sandbox, 'GET', `products?sku=${encodeURIComponent(`${simple},${variation?.sku}`)}`);
    expect(both.json.map((p: { sku: string; type: string }) => [p.sku, p.type]).sort()).toEqual([[simple, 'simple'], [variation?.sku, 'variation']].sort());
    const one = await rest(sandbox, 'GET', `products/${variation?.parent_id}/variations?sku=${encodeURIComponent(variation?.sku ?? '')}`);
    expect(one.json.map((p: { id: number }) => p.id)).toEqual([variation?.id]);
  });

  it('changes stock as a shop manager does: status follows, date_modified moves, product.updated fires', async () => {
    await rest(sandbox, 'POST', 'webhooks', { topic: 'product.updated', delivery_url: receiver.url, secret: 's3cret' });
    const made = sandbox.control.generateProducts(3, { variationsShare: 0, manageStockShare: 0, webhooks: false });
    const id = sandbox.state.skus.get(made.skus[0] as string) as number;
    const before = sandbox.state.products.get(id)?.dateModified.getTime() ?? 0;
    await new Promise((r) => setTimeout(r, 1100));
    expect((await callControl(sandbox, 'POST', `/products/${id}/stock`, { quantity: 0 })).json).toEqual({ id, stock_quantity: 0 });
    const p = sandbox.state.products.get(id);
    expect(p).toMatchObject({ manage_stock: true, stock_quantity: 0, stock_status: 'outofstock' });
    expect(p?.dateModified.getTime()).toBeGreaterThan(before);
    await callControl(sandbox, 'POST', `/products/${id}/edit`, { name: 'Renamed' });
    expect(sandbox.state.products.get(id)?.name).toBe('Renamed');
    await sandbox.control.webhooksIdle();
    const deliveries = sandbox.control.deliveries().filter((d) => d.kind === 'delivery');
    expect(deliveries.map((d) => [d.topic, d.arg])).toEqual([['product.updated', id], ['product.updated', id]]);
    expect((await callControl(sandbox, 'POST', `/products/${id}/stock`, {})).status).toBe(400);
  });
});
