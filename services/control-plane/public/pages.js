import { api, formValues, h, showError } from './api.js';

const FLOWS = ['orders', 'refunds', 'inventory', 'products', 'customers', 'payouts'];
const flash = (text) => (document.getElementById('flash').textContent = text);

function field(label, name, attrs = {}) {
  return h('label', {}, label, h('input', { name, ...attrs }));
}

async function stores() {
  const [list, tenants, connections] = await Promise.all([api('GET', '/api/stores'), api('GET', '/api/tenants'), api('GET', '/api/connections')]);
  const errors = h('div', { id: 'store-errors' });
  const rows = list.map((s) =>
    h(
      'tr',
      { 'data-store': s.storeId },
      h('td', {}, h('strong', {}, s.storeId), h('div', { class: 'muted' }, s.name)),
      h('td', {}, s.tenantId),
      h('td', {}, s.siteUrl, h('div', { class: 'muted' }, s.currency)),
      h('td', { class: 'health' }, s.lastTest ? h('span', { class: `badge ${s.lastTest.ok ? 'ok' : 'bad'}` }, s.lastTest.ok ? 'connected' : 'failing') : h('span', { class: 'badge' }, 'not tested'), s.lastTest ? h('div', { class: 'muted' }, s.lastTest.message) : ''),
      h('td', {}, s.erpConnectionId || h('span', { class: 'muted' }, 'none')),
      h(
        'td',
        {},
        FLOWS.map((f) =>
          h('label', { class: 'flow' }, h('input', {
            type: 'checkbox',
            'data-flow': f,
            checked: s.flows[f],
            onchange: async (e) => {
              try {
                await api('PUT', `/api/stores/${s.storeId}/flows`, { [f]: e.target.checked });
                flash(`Flow ${f} of ${s.storeId} switched ${e.target.checked ? 'on' : 'off'}.`);
              } catch (err) {
                e.target.checked = !e.target.checked;
                showError(errors, err);
              }
            },
          }), f),
        ),
      ),
      h('td', {}, h('button', {
        class: 'test',
        onclick: async () => {
          const r = await api('POST', `/api/stores/${s.storeId}/test`).catch((err) => ({ ok: false, message: err.message }));
          flash(r.message);
          location.hash = '#stores';
          window.dispatchEvent(new HashChangeEvent('hashchange'));
        },
      }, 'Test connection')),
    ),
  );
  const tenantForm = h(
    'form',
    { class: 'inline', id: 'tenant-form', onsubmit: async (e) => {
      e.preventDefault();
      const v = formValues(e.target);
      try {
        await api('PUT', `/api/tenants/${encodeURIComponent(v.tenantId || '')}`, { name: v.name });
        flash(`Tenant ${v.tenantId} saved.`);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (err) {
        showError(errors, err);
      }
    } },
    field('Tenant id', 'tenantId', { placeholder: 'acme' }),
    field('Name', 'name', { placeholder: 'Acme AB' }),
    h('button', { type: 'submit' }, 'Save tenant'),
  );
  const storeForm = h(
    'form',
    { class: 'inline', id: 'store-form', onsubmit: async (e) => {
      e.preventDefault();
      const v = formValues(e.target);
      const { storeId, ...body } = v;
      try {
        await api('PUT', `/api/stores/${encodeURIComponent(storeId || '')}`, body);
        const test = await api('POST', `/api/stores/${encodeURIComponent(storeId)}/test`);
        flash(`Store ${storeId} saved. ${test.message}`);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (err) {
        showError(errors, err);
      }
    } },
    h('label', {}, 'Tenant', h('select', { name: 'tenantId' }, tenants.map((t) => h('option', { value: t.tenantId }, `${t.tenantId} (${t.name})`)))),
    field('Store id', 'storeId', { placeholder: 'nordic-shop' }),
    field('Name', 'name'),
    field('Store URL', 'siteUrl', { placeholder: 'https://shop.example' }),
    field('Currency', 'currency', { value: 'SEK', size: 4 }),
    field('Consumer key', 'consumerKey', { type: 'password', autocomplete: 'off' }),
    field('Consumer secret', 'consumerSecret', { type: 'password', autocomplete: 'off' }),
    field('Webhook secret (optional)', 'webhookSecret', { type: 'password', autocomplete: 'off' }),
    h('label', {}, 'ERP connection', h('select', { name: 'erpConnectionId' }, h('option', { value: '' }, 'none'), connections.map((c) => h('option', { value: c.connectionId }, c.connectionId)))),
    h('button', { type: 'submit' }, 'Save and test'),
  );
  return h(
    'div',
    {},
    h('section', {}, h('h1', {}, 'Stores'), h('table', { id: 'stores-table' }, h('tr', {}, ['Store', 'Tenant', 'URL', 'Health', 'ERP connection', 'Flows', ''].map((t) => h('th', {}, t))), rows)),
    h('section', {}, h('h2', {}, 'Connect a store'), storeForm, h('h2', {}, 'Tenants'), h('p', { class: 'muted' }, tenants.map((t) => `${t.tenantId} (${t.name})`).join(', ') || 'none yet'), tenantForm, errors),
  );
}

async function connections() {
  const list = await api('GET', '/api/connections');
  const errors = h('div');
  const form = h(
    'form',
    { class: 'inline', id: 'fortnox-form', onsubmit: async (e) => {
      e.preventDefault();
      try {
        const r = await api('POST', '/api/connections/fortnox/start', formValues(e.target));
        location.href = r.authorizeUrl;
      } catch (err) {
        showError(errors, err);
      }
    } },
    field('Tenant id', 'tenantId'),
    field('Connection id (optional)', 'connectionId', { placeholder: 'fortnox-acme' }),
    h('button', { type: 'submit' }, 'Connect Fortnox'),
  );
  return h(
    'div',
    {},
    h(
      'section',
      {},
      h('h1', {}, 'ERP connections'),
      h('table', { id: 'connections-table' }, h('tr', {}, ['Connection', 'Tenant', 'ERP', 'Status', 'Token expires', 'Renewable'].map((t) => h('th', {}, t))), list.map((c) =>
        h('tr', {}, h('td', {}, c.connectionId), h('td', {}, c.tenantId), h('td', {}, c.erp), h('td', {}, h('span', { class: `badge ${c.status === 'connected' && !c.health.expired ? 'ok' : 'bad'}` }, c.health.expired ? 'expired' : c.status), c.health.lastError ? h('div', { class: 'error' }, c.health.lastError) : ''), h('td', {}, c.health.tokenExpiresAt || '—'), h('td', {}, c.health.renewable ? 'yes' : 'no')),
      )),
    ),
    h('section', {}, h('h2', {}, 'Connect Fortnox'), form, errors),
  );
}

const SECTIONS = {
  taxCodes: { title: 'Tax codes', key: 'WooCommerce rate (SE:25, DE:19, EU:reverse-charge, export)', fields: [['vat', 'VAT code', 'number'], ['account', 'Sales account', 'number'], ['vatAccount', 'OSS VAT account', 'number']] },
  paymentMethods: { title: 'Payment methods', key: 'Payment method id (stripe)', fields: [['modeOfPayment', 'Mode of payment', 'text'], ['modeOfPaymentAccount', 'Account', 'number']] },
  shippingMethods: { title: 'Shipping methods', key: 'Shipping method id (flat_rate)', fields: [['account', 'Account', 'number'], ['articleNumber', 'Article', 'text']] },
  fees: { title: 'Fees', key: 'Fee name or "default"', fields: [['account', 'Account', 'number']] },
};

async function mappings() {
  const [connections, storeList] = await Promise.all([api('GET', '/api/connections'), api('GET', '/api/stores')]);
  const selected = new URLSearchParams(location.hash.split('?')[1] || '').get('connection') || connections[0]?.connectionId;
  if (!selected) return h('section', {}, h('h1', {}, 'Mappings'), h('p', {}, 'Connect an ERP under Connections first.'));
  const current = await api('GET', `/api/connections/${encodeURIComponent(selected)}/mappings`);
  const errors = h('div', { id: 'mapping-errors' });
  const sections = Object.entries(SECTIONS).map(([name, s]) => {
    const entries = Object.entries(current[name] || {});
    const form = h(
      'form',
      { class: 'inline', 'data-section': name, onsubmit: async (e) => {
        e.preventDefault();
        const v = formValues(e.target);
        const { key, ...entry } = v;
        try {
          await api('PUT', `/api/connections/${encodeURIComponent(selected)}/mappings`, { [name]: { ...current[name], [key || '']: entry } });
          flash(`${s.title}: ${key} saved.`);
          window.dispatchEvent(new HashChangeEvent('hashchange'));
        } catch (err) {
          showError(errors, err);
        }
      } },
      field(s.key, 'key'),
      s.fields.map(([n, label, type]) => field(label, n, { type, ...(type === 'number' ? { step: 'any' } : {}) })),
      h('button', { type: 'submit' }, 'Save'),
    );
    return h('section', { id: `mapping-${name}` }, h('h2', {}, s.title), h('table', {}, entries.map(([k, v]) => h('tr', {}, h('td', {}, h('code', {}, k)), h('td', {}, JSON.stringify(v))))), form);
  });
  const dryRunOut = h('div', { id: 'dry-run' });
  const dryRun = h(
    'form',
    { class: 'inline', id: 'dry-run-form', onsubmit: async (e) => {
      e.preventDefault();
      const v = formValues(e.target);
      try {
        const r = await api('POST', `/api/stores/${encodeURIComponent(v.storeId)}/dry-run`, { limit: v.limit || 10, connectionId: selected });
        dryRunOut.replaceChildren(
          h('p', {}, `${r.orders.length} orders, ${r.wouldPark} would park.`),
          ...r.orders.map((o) =>
            h('div', { class: 'dry-order', 'data-order': o.orderNumber },
              h('h3', {}, `Order #${o.orderNumber} — `, h('span', { class: o.outcome === 'would-park' ? 'bad' : 'ok' }, o.outcome), ` (${o.total} ${o.currency})`),
              o.missing.length ? h('ul', { class: 'problems' }, o.missing.map((m) => h('li', {}, m.hint))) : '',
              h('table', {}, o.document.rows.map((row) => h('tr', {}, h('td', {}, row.description), h('td', {}, row.quantity), h('td', {}, row.amount), h('td', {}, row.vat === null ? '?' : `${row.vat} %`), h('td', {}, row.account ?? '?'), h('td', { class: 'muted' }, row.mappedBy || 'missing')))),
            ),
          ),
        );
      } catch (err) {
        showError(dryRunOut, err);
      }
    } },
    h('label', {}, 'Store', h('select', { name: 'storeId' }, storeList.map((s) => h('option', { value: s.storeId }, s.storeId)))),
    field('Last N orders', 'limit', { type: 'number', value: '10', min: '1', max: '50' }),
    h('button', { type: 'submit' }, 'Dry run'),
  );
  return h(
    'div',
    {},
    h('section', {}, h('h1', {}, 'Mappings'), h('label', {}, 'ERP connection', h('select', { id: 'mapping-connection', onchange: (e) => (location.hash = `#mappings?connection=${e.target.value}`) }, connections.map((c) => h('option', { value: c.connectionId, selected: c.connectionId === selected }, c.connectionId)))), errors),
    sections,
    h('section', {}, h('h2', {}, 'Dry run'), h('p', { class: 'muted' }, "The ERP document each of the store's last orders would become with this mapping; nothing is sent."), dryRun, dryRunOut),
  );
}

async function orders() {
  const out = h('div', { id: 'order-results' });
  const timeline = h('div', { id: 'order-timeline' });
  const show = async (hit) => {
    const log = await api('GET', `/api/orders/${encodeURIComponent(hit.tenantId)}/${encodeURIComponent(hit.storeId)}/${encodeURIComponent(hit.orderId)}/sync-log`);
    timeline.replaceChildren(
      h('h2', {}, `Order #${log.orderNumber ?? log.orderId} of ${log.storeId}`, log.email ? ` — ${log.email}` : ''),
      h('ol', { class: 'timeline' }, log.entries.map((e) => h('li', { class: e.step }, h('strong', {}, e.step), ` ${new Date(e.at).toLocaleString()} · ${e.service} `, h('span', { class: 'muted' }, `(${e.via})`), h('div', {}, e.summary)))),
      h('p', { class: 'muted' }, 'Sources: ', log.sources.map((s) => `${s.service} ${s.ok ? 'ok' : `unavailable (${s.error})`}`).join('; ')),
    );
  };
  const form = h(
    'form',
    { class: 'inline', id: 'order-search', onsubmit: async (e) => {
      e.preventDefault();
      try {
        const hits = await api('GET', `/api/orders/search?q=${encodeURIComponent(formValues(e.target).q || '')}`);
        out.replaceChildren(hits.length ? h('table', {}, hits.map((hit) => h('tr', {}, h('td', {}, h('a', { href: '#orders', class: 'hit', onclick: (ev) => { ev.preventDefault(); void show(hit); } }, `#${hit.orderNumber ?? hit.orderId}`)), h('td', {}, hit.storeId), h('td', {}, hit.email ?? ''), h('td', {}, hit.documentNumbers.join(', ')), h('td', {}, `${hit.lastStep} ${new Date(hit.lastAt).toLocaleString()}`)))) : h('p', {}, 'No order found.'));
        if (hits.length === 1) await show(hits[0]);
      } catch (err) {
        showError(out, err);
      }
    } },
    field('Order number, ERP document number or e-mail', 'q'),
    h('button', { type: 'submit' }, 'Search'),
  );
  return h('div', {}, h('section', {}, h('h1', {}, 'Orders'), form, out), h('section', {}, timeline));
}

async function parked() {
  const { items, sources } = await api('GET', '/api/parked');
  const out = h('div', { id: 'replay-result' });
  const replay = async (refs) => {
    const results = await api('POST', '/api/parked/replay', { refs });
    out.replaceChildren(h('ul', {}, results.map((r) => h('li', { class: r.ok ? 'ok' : 'bad' }, `${r.ref}: ${r.outcome} — ${r.message}`))));
  };
  return h(
    'div',
    {},
    h(
      'section',
      {},
      h('h1', {}, 'Parked events'),
      h('p', { class: 'muted' }, sources.map((s) => `${s.service}: ${s.ok ? 'ok' : s.error}`).join(' · ')),
      items.length === 0 ? h('p', { id: 'parked-empty' }, 'Nothing is parked.') : '',
      h('table', { id: 'parked-table' }, items.map((p) =>
        h('tr', { 'data-ref': p.ref }, h('td', {}, h('input', { type: 'checkbox', value: p.ref })), h('td', {}, p.service, h('div', { class: 'muted' }, p.ref)), h('td', {}, h('code', {}, p.code), h('div', {}, p.operatorMessage), h('div', { class: 'muted' }, p.subject)), h('td', {}, new Date(p.parkedAt).toLocaleString()), h('td', {}, h('button', { class: 'replay', onclick: () => replay([p.ref]) }, 'Replay'))),
      )),
      items.length ? h('button', { id: 'replay-selected', onclick: () => replay([...document.querySelectorAll('#parked-table input:checked')].map((c) => c.value)) }, 'Replay selected') : '',
      out,
    ),
  );
}

async function alerts() {
  const list = await api('GET', '/api/alerts');
  return h(
    'section',
    {},
    h('h1', {}, 'Alerts'),
    h('button', { id: 'evaluate', onclick: async () => { const r = await api('POST', '/api/alerts/evaluate'); flash(`${r.firing} firing, ${r.fired.length} new, ${r.resolved.length} resolved.`); window.dispatchEvent(new HashChangeEvent('hashchange')); } }, 'Evaluate now'),
    h('table', { id: 'alerts-table' }, list.map((a) => h('tr', {}, h('td', {}, h('span', { class: `badge ${a.status === 'firing' ? 'bad' : 'ok'}` }, a.status)), h('td', {}, a.rule), h('td', {}, a.subject), h('td', {}, a.message), h('td', {}, new Date(a.firstFiredAt).toLocaleString()), h('td', { class: 'muted' }, a.notifyError || (a.notifiedAt ? 'delivered' : ''))))),
  );
}

async function settings() {
  const [tokens, audit] = await Promise.all([api('GET', '/api/tokens').catch(() => null), api('GET', '/api/audit')]);
  const shown = h('div', { id: 'new-token' });
  const form = h(
    'form',
    { class: 'inline', onsubmit: async (e) => {
      e.preventDefault();
      try {
        const t = await api('POST', '/api/tokens', formValues(e.target));
        shown.replaceChildren(h('p', {}, 'Copy this token now; it is not shown again: ', h('code', {}, t.token)));
      } catch (err) {
        showError(shown, err);
      }
    } },
    field('Name', 'name'),
    h('label', {}, 'Role', h('select', { name: 'role' }, ['viewer', 'operator', 'admin'].map((r) => h('option', { value: r }, r)))),
    h('button', { type: 'submit' }, 'Create API token'),
  );
  return h(
    'div',
    {},
    tokens ? h('section', {}, h('h1', {}, 'API tokens'), h('table', {}, tokens.map((t) => h('tr', {}, h('td', {}, t.name), h('td', {}, t.role), h('td', {}, t.createdBy), h('td', {}, t.revokedAt ? 'revoked' : 'live')))), form, shown) : '',
    h('section', {}, h('h1', {}, 'Audit log'), h('table', { id: 'audit-table' }, audit.map((a) => h('tr', {}, h('td', {}, new Date(a.at).toLocaleString()), h('td', {}, a.actor), h('td', {}, a.action), h('td', {}, `${a.subjectKind} ${a.subjectId}`), h('td', {}, h('code', {}, JSON.stringify(a.changes))))))),
  );
}

export const pages = { stores, connections, mappings, orders, parked, alerts, settings };
