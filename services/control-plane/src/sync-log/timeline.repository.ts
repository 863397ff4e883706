import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Tx } from '@ledgerline/messaging';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG, POOL } from '../config/tokens';

/** The steps an order goes through, across services. */
export type TimelineStep = 'received' | 'published' | 'updated' | 'refunded' | 'cancelled' | 'intent-opened' | 'document-created' | 'document-failed' | 'parked' | 'replayed';

/** One step of an order's sync log, with the service it came from and how the control plane learned it. */
export interface TimelineEntry {
  step: TimelineStep;
  /** The service that did it: store-gateway, connector-fortnox, control-plane. */
  service: string;
  /** How the control plane knows: `topic <name>` (consumed stream) or `GET <service path>` (HTTP). */
  via: string;
  summary: string;
  at: string;
  documentNumber?: string | null;
  code?: string;
  parked?: { service: string; id: string; replayable: boolean };
}

/** An order found by a search. */
export interface OrderHit {
  tenantId: string;
  storeId: string;
  orderId: string;
  orderNumber: string | null;
  email: string | null;
  documentNumbers: string[];
  lastStep: string;
  lastAt: string;
}

interface Row {
  tenant_id: string;
  store_id: string;
  order_id: string;
  order_number: string | null;
  email: string | null;
  document_number: string | null;
  step: TimelineStep;
  source: string;
  summary: string;
  occurred_at: Date;
}

/** The order_timeline table, written by the timeline handlers inside their inbox transaction. */
@Injectable()
export class TimelineRepository {
  private readonly s: string;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: ControlPlaneConfig,
  ) {
    this.s = config.schema;
  }

  async add(
    tx: Tx,
    e: { tenantId: string; storeId: string; orderId: string; orderNumber: string | null; email: string | null; documentNumber?: string | null; step: TimelineStep; source: string; summary: string; eventId: string; at: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s}.order_timeline (tenant_id, store_id, order_id, order_number, email, document_number, step, source, summary, event_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (event_id, step) DO NOTHING`,
      [e.tenantId, e.storeId, e.orderId, e.orderNumber, e.email, e.documentNumber ?? null, e.step, e.source, e.summary, e.eventId, e.at],
    );
  }

  /** Orders whose number, ERP document number or customer e-mail is `q` (e-mail case-insensitive), newest first. */
  async search(q: string, limit = 50): Promise<OrderHit[]> {
    const { rows } = await this.pool.query<{ tenant_id: string; store_id: string; order_id: string }>(
      `SELECT tenant_id, store_id, order_id, max(occurred_at) AS last FROM ${this.s}.order_timeline
        WHERE order_number = $1 OR document_number = $1 OR lower(email) = lower($1) OR order_id = $1
        GROUP BY tenant_id, store_id, order_id ORDER BY last DESC LIMIT $2`,
      [q.trim(), limit],
    );
    const hits: OrderHit[] = [];
    for (const r of rows) {
      const steps = await this.steps(r.tenant_id, r.store_id, r.order_id);
      const last = steps[steps.length - 1] as Row;
      hits.push({
        tenantId: r.tenant_id,
        storeId: r.store_id,
        orderId: r.order_id,
        orderNumber: steps.find((s) => s.order_number)?.order_number ?? null,
        email: steps.find((s) => s.email)?.email ?? null,
        documentNumbers: [...new Set(steps.map((s) => s.document_number).filter((d): d is string => !!d))],
        lastStep: last.step,
        lastAt: last.occurred_at.toISOString(),
      });
    }
    return hits;
  }

  async entries(tenantId: string, storeId: string, orderId: string): Promise<{ orderNumber: string | null; email: string | null; entries: TimelineEntry[] }> {
    const steps = await this.steps(tenantId, storeId, orderId);
    return {
      orderNumber: steps.find((s) => s.order_number)?.order_number ?? null,
      email: steps.find((s) => s.email)?.email ?? null,
      entries: steps.map((s) => ({
        step: s.step,
        service: s.source.split(' ')[0] as string,
        via: s.source.split(' ').slice(1).join(' '),
        summary: s.summary,
        at: s.occurred_at.toISOString(),
        documentNumber: s.document_number,
      })),
    };
  }

  /** When the store's last order event arrived; null when none did. */
  async lastEventOf(storeId: string): Promise<Date | null> {
    const { rows } = await this.pool.query<{ last: Date | null }>(`SELECT max(recorded_at) AS last FROM ${this.s}.order_timeline WHERE store_id = $1`, [storeId]);
    return rows[0]?.last ?? null;
  }

  private async steps(tenantId: string, storeId: string, orderId: string): Promise<Row[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM ${this.s}.order_timeline WHERE tenant_id = $1 AND store_id = $2 AND order_id = $3 ORDER BY occurred_at, id`,
      [tenantId, storeId, orderId],
    );
    return rows;
  }
}
