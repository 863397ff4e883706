#!/usr/bin/env python3
"""Writes the Grafana dashboards (charts/ledgerline/dashboards/*.json) from the panel lists below.

The chart ships them as ConfigMaps for the Grafana sidecar; docker-compose provisions the same files. Edit this file,
run `python3 deploy/observability/generate-dashboards.py`, and commit both. deploy/checks/metrics-exist.ts fails when
a query names a metric that no service exposes.
"""
import json
import os

OUT = os.environ.get('LEDGERLINE_DASHBOARDS_OUT') or os.path.join(os.path.dirname(__file__), '..', '..', 'charts', 'ledgerline', 'dashboards')


def panel(title, exprs, unit='short', kind='timeseries', w=12, h=8, desc=''):
    return {'title': title, 'type': kind, 'description': desc, 'w': w, 'h': h, 'unit': unit,
            'targets': [{'expr': e, 'legendFormat': l} for e, l in exprs]}


def dashboard(uid, title, panels, tags):
    out, x, y, row_h = [], 0, 0, 0
    for i, p in enumerate(panels):
        if x + p['w'] > 24:
            x, y = 0, y + row_h
            row_h = 0
        out.append({
            'id': i + 1, 'title': p['title'], 'type': p['type'], 'description': p['description'],
            'datasource': {'type': 'prometheus', 'uid': '${datasource}'},
            'gridPos': {'x': x, 'y': y, 'w': p['w'], 'h': p['h']},
            'fieldConfig': {'defaults': {'unit': p['unit']}, 'overrides': []},
            'options': {'legend': {'displayMode': 'table', 'placement': 'bottom', 'calcs': ['lastNotNull', 'max']}} if p['type'] == 'timeseries' else {},
            'targets': [dict(t, refId=chr(65 + j), datasource={'type': 'prometheus', 'uid': '${datasource}'}) for j, t in enumerate(p['targets'])],
        })
        x += p['w']
        row_h = max(row_h, p['h'])
    return {
        'uid': uid, 'title': title, 'tags': ['ledgerline'] + tags, 'schemaVersion': 39, 'version': 1, 'editable': True,
        'time': {'from': 'now-6h', 'to': 'now'}, 'refresh': '30s', 'timezone': 'utc',
        'templating': {'list': [{'name': 'datasource', 'type': 'datasource', 'query': 'prometheus', 'label': 'Data source'}]},
        'annotations': {'list': []}, 'links': [], 'panels': out,
    }


def messaging(svc):
    s = f'service="{svc}"'
    return [
        panel('Consumer lag (messages)', [(f'sum by (group, topic) (ledgerline_consumer_lag_messages{{{s}}})', '{{group}} {{topic}}')]),
        panel('Messages handled by outcome (/s)', [(f'sum by (topic, outcome) (rate(ledgerline_consumer_messages_total{{{s}}}[5m]))', '{{topic}} {{outcome}}')], 'ops'),
        panel('Handle duration p99', [(f'histogram_quantile(0.99, sum by (le, topic) (rate(ledgerline_consumer_handle_duration_seconds_bucket{{{s}}}[5m])))', '{{topic}}')], 's'),
        panel('Transient retries by code (/s)', [(f'sum by (code) (rate(ledgerline_consumer_retries_total{{{s}}}[5m]))', '{{code}}')], 'ops'),
        panel('Events parked (last hour) by code', [(f'sum by (code) (increase(ledgerline_events_parked_total{{{s}}}[1h]))', '{{code}}')]),
        panel('Outbox backlog', [(f'max by (schema) (ledgerline_outbox_backlog_messages{{{s}}})', 'rows {{schema}}'), (f'max by (schema) (ledgerline_outbox_backlog_age_seconds{{{s}}})', 'oldest (s) {{schema}}')]),
        panel('Outbox published (/s) and failures', [(f'sum by (topic) (rate(ledgerline_outbox_published_total{{{s}}}[5m]))', '{{topic}}'), (f'sum(rate(ledgerline_outbox_publish_failures_total{{{s}}}[5m]))', 'failed batches')], 'ops'),
        panel('Relay leader (one per schema)', [(f'sum by (schema) (ledgerline_outbox_relay_leader{{{s}}})', '{{schema}}')], w=6),
        panel('Outbox publish p99', [(f'histogram_quantile(0.99, sum by (le) (rate(ledgerline_outbox_publish_duration_seconds_bucket{{{s}}}[5m])))', 'p99')], 's', w=6),
    ]


def process(svc):
    s = f'service="{svc}"'
    return [
        panel('CPU (cores)', [(f'sum by (instance) (rate(process_cpu_seconds_total{{{s}}}[5m]))', '{{instance}}')], w=8),
        panel('Resident memory', [(f'sum by (instance) (process_resident_memory_bytes{{{s}}})', '{{instance}}')], 'bytes', w=8),
        panel('Event loop lag p99', [(f'max by (instance) (nodejs_eventloop_lag_p99_seconds{{{s}}})', '{{instance}}')], 's', w=8),
    ]


store = 'service="store-gateway"'
erp = 'service=~"connector-.+"'
specific = {
    'store-gateway': [
        panel('Webhook deliveries by resource and outcome (/s)', [(f'sum by (resource, outcome) (rate(ledgerline_webhooks_received_total{{{store}}}[5m]))', '{{resource}} {{outcome}}')], 'ops'),
        panel('Webhooks refused by reason (/s)', [(f'sum by (reason) (rate(ledgerline_webhooks_refused_total{{{store}}}[5m]))', '{{reason}}')], 'ops'),
        panel('Sweep: orders found (last hour)', [(f'sum by (outcome) (increase(ledgerline_sweep_orders_found_total{{{store}}}[1h]))', '{{outcome}}')]),
        panel('Sweep runs (last hour)', [(f'sum by (outcome) (increase(ledgerline_sweep_runs_total{{{store}}}[1h]))', '{{outcome}}')]),
        panel('Webhooks repaired (last day)', [(f'sum by (action) (increase(ledgerline_webhooks_repaired_total{{{store}}}[1d]))', '{{action}}')]),
        panel('Payloads parked (last hour)', [(f'sum by (resource, code) (increase(ledgerline_store_deliveries_parked_total{{{store}}}[1h]))', '{{resource}} {{code}}')]),
        panel('WooCommerce API requests (/s)', [(f'sum by (endpoint, outcome) (rate(ledgerline_woocommerce_requests_total{{{store}}}[5m]))', '{{endpoint}} {{outcome}}')], 'ops'),
        panel('WooCommerce API p99', [(f'histogram_quantile(0.99, sum by (le, endpoint) (rate(ledgerline_woocommerce_request_duration_seconds_bucket{{{store}}}[5m])))', '{{endpoint}}')], 's'),
        panel('Batch items written (/s)', [(f'sum by (endpoint, action, outcome) (rate(ledgerline_woocommerce_batch_items_total{{{store}}}[5m]))', '{{endpoint}} {{action}} {{outcome}}')], 'ops'),
    ],
    'connector-fortnox': [
        panel('Documents delivered by outcome (/s)', [('sum by (outcome, code) (rate(ledgerline_erp_deliveries_total{service="connector-fortnox"}[5m]))', '{{outcome}} {{code}}')], 'ops'),
        panel('Rate-limit wait p99', [('histogram_quantile(0.99, sum by (le, outcome) (rate(ledgerline_erp_rate_limit_wait_seconds_bucket{service="connector-fortnox"}[5m])))', '{{outcome}}')], 's'),
        panel('Token refreshes (last hour)', [('sum by (outcome) (increase(ledgerline_erp_token_refreshes_total{service="connector-fortnox"}[1h]))', '{{outcome}}')]),
        panel('Stock changes emitted (/s) and negative balances', [('sum(rate(ledgerline_connector_fortnox_stock_changes_total{service="connector-fortnox"}[5m]))', 'stock-level.changed'), ('sum(rate(ledgerline_connector_fortnox_stock_negative_total{service="connector-fortnox"}[5m]))', 'negative → 0')], 'ops'),
    ],
}

SERVICES = ['store-gateway', 'connector-fortnox', 'inventory-sync', 'payout-reconciliation', 'control-plane']

overview = dashboard('ledgerline-overview', 'Ledgerline — overview', [
    panel('Orders in (/s): webhook deliveries and sweep finds', [
        (f'sum by (outcome) (rate(ledgerline_webhooks_received_total{{{store},resource="order"}}[5m]))', 'webhook {{outcome}}'),
        (f'sum(rate(ledgerline_sweep_orders_found_total{{{store},outcome="missed"}}[5m]))', 'sweep: missed by webhooks')], 'ops', w=12,
        desc='Labels are bounded (no store ids, STYLE.md §3): per-store figures are in the console sync log.'),
    panel('Documents out (/s) per ERP', [(f'sum by (erp, outcome) (rate(ledgerline_erp_deliveries_total{{{erp},outcome=~"created|found"}}[5m]))', '{{erp}} {{outcome}}')], 'ops', w=12),
    panel('Consumer lag by service and group', [('sum by (service, group) (ledgerline_consumer_lag_messages)', '{{service}} {{group}}')], w=12),
    panel('Oldest unpublished outbox row', [('max by (service, schema) (ledgerline_outbox_backlog_age_seconds)', '{{service}} {{schema}}')], 's', w=12),
    panel('Parked (last hour) by service and code', [('sum by (service, code) (increase(ledgerline_events_parked_total[1h]))', '{{service}} {{code}}'), ('sum by (service, code) (increase(ledgerline_store_deliveries_parked_total[1h]))', '{{service}} payload {{code}}')], w=12),
    panel('Errors (/s)', [
        (f'sum by (erp, code) (rate(ledgerline_erp_deliveries_total{{{erp},outcome=~"retry|parked"}}[5m]))', 'ERP {{erp}} {{code}}'),
        ('sum by (service) (rate(ledgerline_outbox_publish_failures_total[5m]))', 'outbox {{service}}'),
        ('sum by (service, reason) (rate(ledgerline_webhooks_refused_total[5m]))', 'webhook refused {{reason}}'),
        ('sum by (service, code) (rate(ledgerline_consumer_retries_total[5m]))', 'retry {{service}} {{code}}')], 'ops', w=12),
    panel('Targets up', [('up', '{{job}} {{instance}}')], w=24, h=6),
], ['overview'])

os.makedirs(OUT, exist_ok=True)
files = {'ledgerline-overview.json': overview}
for svc in SERVICES:
    files[f'ledgerline-{svc}.json'] = dashboard(f'ledgerline-{svc}', f'Ledgerline — {svc}', specific.get(svc, []) + messaging(svc) + process(svc), [svc])
for name, body in files.items():
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(body, f, indent=2)
        f.write('\n')
print(f'wrote {len(files)} dashboards to {os.path.normpath(OUT)}')
