import type { Gauge } from 'prom-client';
import { counter, gauge, histogram, metricsRegistry } from './metrics.registry';
import { setServiceName } from '../service-name';

describe('metrics helpers', () => {
  it('returns the same counter when asked twice, as a module evaluated twice would', async () => {
    const cfg = { name: 'ledgerline_spec_orders_received_total', help: 'Orders received.', labelNames: ['outcome'] as const };
    const first = counter(cfg);
    const second = counter(cfg);
    expect(second).toBe(first);

    first.inc({ outcome: 'ok' });
    second.inc({ outcome: 'ok' }, 2);
    const text = await metricsRegistry.getSingleMetricAsString(cfg.name);
    expect(text).toContain('ledgerline_spec_orders_received_total{outcome="ok"} 3');
  });

  it.each([
    ['orders_total', /must match \^ledgerline_/],
    ['ledgerline_Orders_total', /must match \^ledgerline_/],
    ['ledgerline_outbox_published', /counters must end in _total/],
    ['ledgerline_orders_total', /needs an area and a noun/],
    ['ledgerline_outbox_publish_duration_ms_total', /base units: _seconds instead of _ms/],
    ['ledgerline_http_request_duration_total', /durations must end in _seconds/],
  ])('refuses the counter name %s', (name, message) => {
    expect(() => counter({ name, help: 'x' })).toThrow(message);
  });

  it('refuses non-counter names that break the unit rules', () => {
    expect(() => histogram({ name: 'ledgerline_outbox_publish_duration', help: 'x' })).toThrow(/durations must end in _seconds/);
    expect(() => histogram({ name: 'ledgerline_kafka_message_size', help: 'x', buckets: [1] })).toThrow(/sizes must end in _bytes/);
    expect(() => histogram({ name: 'ledgerline_kafka_message_size_bytes', help: 'x' })).toThrow(/needs explicit buckets/);
    expect(() => gauge({ name: 'ledgerline_outbox_backlog_total', help: 'x' })).toThrow(/must not end in _total/);
    expect(() => gauge({ name: 'ledgerline_outbox_backlog_age_minutes', help: 'x' })).toThrow(/_seconds instead of _minutes/);
  });

  it('refuses unbounded or reserved labels', () => {
    expect(() => counter({ name: 'ledgerline_spec_a_total', help: 'x', labelNames: ['order_id'] })).toThrow(/"order_id" looks unbounded/);
    expect(() => counter({ name: 'ledgerline_spec_b_total', help: 'x', labelNames: ['store'] })).toThrow(/"store" looks unbounded/);
    expect(() => counter({ name: 'ledgerline_spec_c_total', help: 'x', labelNames: ['service'] })).toThrow(/"service" is reserved/);
  });

  it('refuses to reuse a name for a different type or label set', () => {
    counter({ name: 'ledgerline_spec_clash_total', help: 'x', labelNames: ['topic'] });
    expect(() => counter({ name: 'ledgerline_spec_clash_total', help: 'x', labelNames: ['erp'] })).toThrow(
      /already registered as a counter with labels \[topic\]; cannot register it again as a counter with labels \[erp\]/,
    );
    gauge({ name: 'ledgerline_spec_clash_messages', help: 'x' });
    expect(() => histogram({ name: 'ledgerline_spec_clash_messages', help: 'x' })).toThrow(/already registered as a gauge/);
  });

  it('accepts the names STYLE.md uses', () => {
    expect(() => histogram({ name: 'ledgerline_outbox_publish_duration_seconds', help: 'x', labelNames: ['topic'] })).not.toThrow();
    expect(() => counter({ name: 'ledgerline_events_parked_total', help: 'x', labelNames: ['code'] })).not.toThrow();
    expect(() => gauge({ name: 'ledgerline_consumer_lag_messages', help: 'x', labelNames: ['group', 'topic'] })).not.toThrow();
    expect(() => histogram({ name: 'ledgerline_webhook_body_size_bytes', help: 'x', buckets: [1024, 65536] })).not.toThrow();
  });

  it('refreshes a gauge on scrape through the newest collect callback', async () => {
    let backlog = 4;
    const cfg = { name: 'ledgerline_spec_backlog_messages', help: 'Backlog.' };
    const g = gauge({
      ...cfg,
      collect() {
        this.set(backlog);
      },
    });
    expect(await metricsRegistry.getSingleMetricAsString(cfg.name)).toContain('ledgerline_spec_backlog_messages 4');

    const again: Gauge = gauge({ ...cfg, collect: () => again.set(backlog * 10) });
    backlog = 5;
    expect(again).toBe(g);
    expect(await metricsRegistry.getSingleMetricAsString(cfg.name)).toContain('ledgerline_spec_backlog_messages 50');
  });

  it('labels every series, default Node metrics included, with the service name', async () => {
    setServiceName('spec-service');
    counter({ name: 'ledgerline_spec_labelled_total', help: 'x' }).inc();
    const text = await metricsRegistry.metrics();
    expect(text).toContain('ledgerline_spec_labelled_total{service="spec-service"} 1');
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="spec-service"\} /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{service="spec-service"\} /m);
  });
});
