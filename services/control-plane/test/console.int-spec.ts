import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { OrderPlaced, envelope, exampleOrder } from '@ledgerline/contracts';
import { eventually } from '@ledgerline/testing';
import { BOOTSTRAP_TOKEN, startControlPlane, type ControlPlaneUnderTest } from './control-plane.harness';

const ARTIFACTS = join(__dirname, 'artifacts');
const TENANT = 'acme-web';
const STORE = 'web-shop';

let t: ControlPlaneUnderTest;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  t = await startControlPlane({ seed: 31 });
  t.woo.control.generateOrders(5, { webhooks: false, multiCurrency: false });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // A CSP violation or script error in the console fails the test (answers like the 400 of a refused mapping are expected).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe('the web console in Chromium', () => {
  it('signs in with a pasted API token, connects Fortnox and a store, maps a tax rate, replays a parked event and shows the order timeline', async () => {
    // An order of a store the control plane does not know yet: the timeline consumer parks it (CONTROL_STORE_UNKNOWN).
    const order = exampleOrder({ tenantId: TENANT, storeId: STORE, orderId: '7301', orderNumber: 'W-7301' });
    await t.publish(envelope.of(new OrderPlaced({ order }), { tenantId: TENANT, storeId: STORE }));
    await eventually(async () => ((await t.call('GET', '/api/parked')).json.items.length === 1 ? true : undefined), { timeoutMs: 30_000, description: 'the order event parked' });

    await page.goto(`${t.base}/`);
    await page.fill('#login-token', 'llcp_wrong');
    await page.click('#login-form button');
    await page.waitForSelector('#login-error:has-text("unknown or revoked")');
    await page.fill('#login-token', BOOTSTRAP_TOKEN);
    await page.click('#login-form button');
    await page.waitForSelector('#who:has-text("bootstrap-token (admin)")');

    // Tenant, then Fortnox through the sandbox's consent redirect.
    await page.fill('#tenant-form [name=tenantId]', TENANT);
    await page.fill('#tenant-form [name=name]', 'Acme Web AB');
    await page.click('#tenant-form button');
    await page.waitForSelector(`#flash:has-text("Tenant ${TENANT} saved.")`);
    await page.click('#nav a[href="#connections"]');
    await page.fill('#fortnox-form [name=tenantId]', TENANT);
    await page.click('#fortnox-form button');
    await page.waitForSelector(`#flash:has-text('Fortnox connection "fortnox-${TENANT}" is connected.')`);
    await page.click('#nav a[href="#connections"]');
    await page.waitForSelector(`#connections-table tr:has-text("fortnox-${TENANT}") .badge.ok`);
    await shot('01-connections');

    // Connect the store: saved, tested against sandbox-woocommerce, healthy.
    await page.click('#nav a[href="#stores"]');
    await page.selectOption('#store-form [name=tenantId]', TENANT);
    await page.fill('#store-form [name=storeId]', STORE);
    await page.fill('#store-form [name=name]', 'Web shop');
    await page.fill('#store-form [name=siteUrl]', t.woo.url);
    await page.fill('#store-form [name=consumerKey]', t.woo.consumerKey);
    await page.fill('#store-form [name=consumerSecret]', t.woo.consumerSecret);
    await page.selectOption('#store-form [name=erpConnectionId]', `fortnox-${TENANT}`);
    await page.click('#store-form button');
    await page.waitForSelector(`#flash:has-text("Store ${STORE} saved. Connected to ${t.woo.url}")`);
    await page.waitForSelector(`#stores-table tr[data-store="${STORE}"] .health .badge.ok`);
    expect(await page.content()).not.toContain(t.woo.consumerSecret);
    await shot('02-store-connected');

    // Map a tax rate; a bad account is refused with the field named.
    await page.click('#nav a[href="#mappings"]');
    const tax = '#mapping-taxCodes form';
    await page.fill(`${tax} [name=key]`, 'SE:25');
    await page.fill(`${tax} [name=vat]`, '25');
    await page.fill(`${tax} [name=account]`, '30');
    await page.click(`${tax} button`);
    await page.waitForSelector('#mapping-errors li:has-text("taxCodes[\\"SE:25\\"].account: must be a 4-digit sales account, like 3001")');
    await page.fill(`${tax} [name=account]`, '3001');
    await page.click(`${tax} button`);
    await page.waitForSelector('#mapping-taxCodes td:has-text("SE:25")');
    await page.selectOption('#dry-run-form [name=storeId]', STORE);
    await page.click('#dry-run-form button');
    await page.waitForSelector('#dry-run .dry-order');
    const dry = await t.call('POST', `/api/stores/${STORE}/dry-run`, { limit: 10 });
    expect(await page.locator('#dry-run > p').textContent()).toBe(`${dry.json.orders.length} orders, ${dry.json.wouldPark} would park.`);
    const firstMissing = dry.json.orders.find((o: { missing: unknown[] }) => o.missing.length > 0);
    if (firstMissing) await page.waitForSelector(`#dry-run .dry-order[data-order="${firstMissing.orderNumber}"] li:has-text("${firstMissing.missing[0].hint}")`);
    await shot('03-mapping-and-dry-run');
    const mappings = await t.call('GET', `/api/connections/fortnox-${TENANT}/mappings`);
    expect(mappings.json.taxCodes).toEqual({ 'SE:25': { vat: 25, account: 3001 } });

    // The parked order event, replayed now that its store exists.
    await page.click('#nav a[href="#parked"]');
    const row = page.locator('#parked-table tr', { hasText: 'CONTROL_STORE_UNKNOWN' });
    await row.waitFor();
    expect(await row.textContent()).toContain(`the control plane has no store "${STORE}"`);
    await shot('04-parked');
    await row.locator('button.replay').click();
    await page.waitForSelector('#replay-result li.ok:has-text("replayed")');
    await shot('05-replayed');

    // Find the order by its number and read its timeline.
    await page.click('#nav a[href="#orders"]');
    await page.fill('#order-search [name=q]', 'W-7301');
    await page.click('#order-search button');
    await page.waitForSelector('#order-timeline li.replayed');
    const steps = await page.locator('#order-timeline li strong').allTextContents();
    expect(steps).toEqual(expect.arrayContaining(['received', 'published', 'parked', 'replayed']));
    expect(await page.locator('#order-timeline h2').textContent()).toContain('Order #W-7301 of web-shop — astrid@example.se');
    await shot('06-order-timeline');
    expect((await t.call('GET', '/api/parked')).json.items).toEqual([]);

    // Alerts and the audit log.
    await page.click('#nav a[href="#alerts"]');
    await page.click('#evaluate');
    await page.waitForSelector('#flash:has-text("firing")');
    await page.click('#nav a[href="#settings"]');
    await page.waitForSelector('#audit-table tr:has-text("mappings.updated")');
    expect(await page.locator('#audit-table').textContent()).toContain(`store ${STORE}`);
    expect(await page.locator('#audit-table').textContent()).not.toContain(t.woo.consumerSecret);
    await shot('07-audit');
    expect(consoleErrors).toEqual([]);
  });
});
