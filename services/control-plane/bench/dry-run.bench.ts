// Prints how long a dry run of a store's last 50 orders takes: reading them from sandbox-woocommerce (one REST page)
// and mapping each with the tenant's mapping. Run: node -r ./scripts/register.cjs services/control-plane/bench/dry-run.bench.ts
import { startWooSandbox } from '@ledgerline/sandbox-woocommerce';
import { WooCommerceClient } from '@ledgerline/woocommerce';
import { dryRunOrder } from '../src/mappings/dry-run.mapper';
import { EMPTY_MAPPINGS } from '../src/mappings/mapping';

async function main(): Promise<void> {
  const woo = await startWooSandbox({ seed: 7 });
  woo.control.generateOrders(500, { webhooks: false });
  const client = new WooCommerceClient({ siteUrl: woo.url, consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret });
  const mappings = { ...structuredClone(EMPTY_MAPPINGS), taxCodes: { 'SE:25': { vat: 25, account: 3001 }, 'SE:12': { vat: 12, account: 3002 } }, paymentMethods: { stripe: { modeOfPayment: 'KORT' } } };
  const rounds = 20;
  const fetchMs: number[] = [];
  const mapMs: number[] = [];
  let parked = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const orders = (await client.listOrders({ per_page: 50, orderby: 'date', order: 'desc' })).items;
    const t1 = performance.now();
    const results = orders.map((o) => dryRunOrder(o, mappings, { tenantId: 'acme', storeId: 'bench', erp: 'Fortnox' }));
    const t2 = performance.now();
    parked = results.filter((r) => r.outcome === 'would-park').length;
    fetchMs.push(t1 - t0);
    mapMs.push(t2 - t1);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  console.log(`dry run of 50 orders (${rounds} rounds): fetch median ${median(fetchMs).toFixed(1)} ms, mapping median ${median(mapMs).toFixed(2)} ms (${(median(mapMs) / 50).toFixed(3)} ms/order); ${parked}/50 would park`);
  await woo.close();
}

void main();
