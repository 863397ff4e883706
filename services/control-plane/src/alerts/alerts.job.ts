import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG, LOGGER, POOL } from '../config/tokens';
import { ErpConnectionsRepository } from '../connections/erp-connections.repository';
import { MessagingLifecycle } from '../messaging/messaging.module';
import { ServiceClients } from '../parked/service-clients';
import { StoresRepository } from '../stores/stores.repository';
import { TimelineRepository } from '../sync-log/timeline.repository';

/** The alert rules. */
export const ALERT_RULES = ['parked-events', 'sync-gap', 'erp-authorisation-expired', 'webhooks-failing'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** A condition found by one evaluation. */
export interface Finding {
  rule: AlertRule;
  /** What it is about: a service, store or connection id; with the rule, the deduplication key. */
  subject: string;
  tenantId: string | null;
  message: string;
}

/** An alert as the console shows it. */
export interface AlertView {
  id: string;
  rule: string;
  subject: string;
  tenantId: string | null;
  message: string;
  status: 'firing' | 'resolved';
  firstFiredAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  notifiedAt: string | null;
  notifyError: string | null;
}

/**
 * Evaluates the alert rules on a schedule, keeps one firing row per (rule, subject) so a condition that holds is
 * announced once (deduplicated while firing), and posts `{"text": …}` (accepted by Slack and Teams incoming webhooks)
 * when an alert starts firing and when it resolves.
 */
@Injectable()
export class AlertsJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(POOL) private readonly pool: Pool,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly messaging: MessagingLifecycle,
    private readonly services: ServiceClients,
    private readonly stores: StoresRepository,
    private readonly connections: ErpConnectionsRepository,
    private readonly timeline: TimelineRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.alertIntervalMs > 0) {
      this.timer = setInterval(() => void this.evaluate().catch((err) => this.log.error({ err }, 'alert evaluation failed')), this.config.alertIntervalMs);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Runs every rule once; returns what fired newly and what resolved. One evaluation at a time. */
  async evaluate(): Promise<{ fired: AlertView[]; resolved: AlertView[]; firing: number }> {
    while (this.running) await this.running.catch(() => undefined);
    const run = this.evaluateOnce();
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  async list(status?: 'firing' | 'resolved'): Promise<AlertView[]> {
    const { rows } = await this.pool.query<AlertRow>(`SELECT * FROM ${this.config.schema}.alerts WHERE ($1::text IS NULL OR status = $1) ORDER BY status, last_seen_at DESC LIMIT 500`, [status ?? null]);
    return rows.map(view);
  }

  private async evaluateOnce(): Promise<{ fired: AlertView[]; resolved: AlertView[]; firing: number }> {
    const findings = await this.findings();
    const s = this.config.schema;
    const fired: AlertView[] = [];
    for (const f of findings) {
      const { rows } = await this.pool.query<AlertRow>(
        `INSERT INTO ${s}.alerts (rule, subject, tenant_id, message) VALUES ($1, $2, $3, $4)
         ON CONFLICT (rule, subject) WHERE status = 'firing' DO UPDATE SET last_seen_at = now(), message = EXCLUDED.message
         RETURNING *, (xmax = 0) AS created`,
        [f.rule, f.subject, f.tenantId, f.message],
      );
      const row = rows[0] as AlertRow & { created: boolean };
      if (row.created) fired.push(await this.notify(row, 'FIRING'));
    }
    // Unit separator: neither a rule name nor an id contains it (PostgreSQL text cannot hold NUL).
    const keys = findings.map((f) => `${f.rule}\u001f${f.subject}`);
    const { rows: gone } = await this.pool.query<AlertRow>(
      `UPDATE ${s}.alerts SET status = 'resolved', resolved_at = now() WHERE status = 'firing' AND NOT (rule || chr(31) || subject = ANY($1::text[])) RETURNING *`,
      [keys],
    );
    const resolved: AlertView[] = [];
    for (const row of gone) resolved.push(await this.notify(row, 'RESOLVED'));
    return { fired, resolved, firing: findings.length };
  }

  private async findings(): Promise<Finding[]> {
    const out: Finding[] = [];
    // Parked events, per service.
    let own = 0;
    let oldest: { code: string; operatorMessage: string } | null = null;
    for (const r of this.messaging.runners) {
      const parked = await r.parking.list({ consumerGroup: r.groupId, limit: 1000 });
      own += parked.length;
      const last = parked[parked.length - 1];
      if (last) oldest = { code: last.code, operatorMessage: last.operatorMessage };
    }
    if (own > 0 && oldest) out.push({ rule: 'parked-events', subject: 'control-plane', tenantId: null, message: `${own} parked event(s) in control-plane; oldest ${oldest.code}: ${oldest.operatorMessage}` });
    if (this.services.configured('store-gateway')) {
      const r = await this.services.call<Array<{ code: string; operatorMessage: string }>>('store-gateway', 'GET', '/parked-deliveries');
      if (r.ok && r.body.length > 0) out.push({ rule: 'parked-events', subject: 'store-gateway', tenantId: null, message: `${r.body.length} parked delivery(ies) in store-gateway; oldest ${r.body[0]?.code}: ${r.body[0]?.operatorMessage}` });
    }
    // Sync gaps and failing stores.
    const gapMs = this.config.syncGapHours * 3600_000;
    for (const store of await this.stores.all()) {
      if (store.flows.orders) {
        const last = (await this.timeline.lastEventOf(store.storeId)) ?? new Date(store.createdAt);
        if (Date.now() - last.getTime() > gapMs) {
          out.push({ rule: 'sync-gap', subject: store.storeId, tenantId: store.tenantId, message: `No order event from store "${store.storeId}" since ${last.toISOString()} (more than ${this.config.syncGapHours} h) while its orders flow is on. Check the store's webhooks and store-gateway's sweep.` });
        }
      }
      if (store.lastTest && !store.lastTest.ok) {
        out.push({ rule: 'webhooks-failing', subject: store.storeId, tenantId: store.tenantId, message: `Store "${store.storeId}" failed its last connection test: ${store.lastTest.message}` });
      } else if (this.services.configured('store-gateway')) {
        const r = await this.services.call<{ reenabled: number[]; created: string[] }>('store-gateway', 'POST', `/stores/${encodeURIComponent(store.storeId)}/webhooks/check`);
        if (r.ok && r.body.reenabled.length > 0) {
          out.push({ rule: 'webhooks-failing', subject: store.storeId, tenantId: store.tenantId, message: `WooCommerce had disabled webhooks ${r.body.reenabled.join(', ')} of store "${store.storeId}" after failed deliveries; store-gateway re-enabled them. Check that the store reaches store-gateway.` });
        } else if (!r.ok && r.status !== 404) {
          out.push({ rule: 'webhooks-failing', subject: store.storeId, tenantId: store.tenantId, message: `The webhook check of store "${store.storeId}" failed: ${r.error}` });
        }
      }
    }
    // ERP authorisations.
    for (const c of await this.connections.all()) {
      if (c.status === 'failed') {
        out.push({ rule: 'erp-authorisation-expired', subject: c.connectionId, tenantId: c.tenantId, message: `ERP connection "${c.connectionId}" failed to authorise: ${c.health.lastError ?? 'unknown error'}. Connect it again under Connections.` });
      } else if (c.status === 'connected' && c.health.expired && !c.health.renewable) {
        out.push({ rule: 'erp-authorisation-expired', subject: c.connectionId, tenantId: c.tenantId, message: `The ${c.erp} authorisation of "${c.connectionId}" expired at ${c.health.tokenExpiresAt} and has no refresh token. Connect it again under Connections.` });
      }
    }
    return out;
  }

  private async notify(row: AlertRow, what: 'FIRING' | 'RESOLVED'): Promise<AlertView> {
    if (!this.config.alertWebhookUrl) return view(row);
    const text = `${what === 'FIRING' ? ':red_circle:' : ':white_check_mark:'} Ledgerline ${what} [${row.rule}] ${row.subject}${row.tenant_id ? ` (tenant ${row.tenant_id})` : ''}: ${row.message}`;
    let error: string | null = null;
    try {
      const res = await fetch(this.config.alertWebhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, ledgerline: { rule: row.rule, subject: row.subject, tenantId: row.tenant_id, status: what.toLowerCase(), message: row.message } }),
        signal: AbortSignal.timeout(this.config.requestTimeoutMs),
      });
      if (!res.ok) error = `the alert endpoint answered ${res.status}`;
    } catch (err) {
      error = `the alert endpoint could not be reached (${(err as Error).message})`;
    }
    if (error) this.log.warn({ rule: row.rule, subject: row.subject }, `alert not delivered: ${error}`);
    const { rows } = await this.pool.query<AlertRow>(`UPDATE ${this.config.schema}.alerts SET notified_at = CASE WHEN $2::text IS NULL THEN now() ELSE notified_at END, notify_error = $2 WHERE id = $1 RETURNING *`, [row.id, error]);
    return view(rows[0] as AlertRow);
  }
}

interface AlertRow {
  id: string;
  rule: string;
  subject: string;
  tenant_id: string | null;
  message: string;
  status: 'firing' | 'resolved';
  first_fired_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  notified_at: Date | null;
  notify_error: string | null;
}

function view(r: AlertRow): AlertView {
  return {
    id: r.id,
    rule: r.rule,
    subject: r.subject,
    tenantId: r.tenant_id,
    message: r.message,
    status: r.status,
    firstFiredAt: r.first_fired_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    notifiedAt: r.notified_at?.toISOString() ?? null,
    notifyError: r.notify_error,
  };
}
