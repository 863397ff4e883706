import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { EventTypes, type CanonicalOrder, type ErpDocumentRecorded, type EventEnvelope, type OrderCancelled, type OrderRef, type OrderRefunded } from '@ledgerline/contracts';
import { PermanentError, type EventHandler } from '@ledgerline/messaging';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG } from '../config/tokens';
import { TimelineRepository, type TimelineStep } from './timeline.repository';

/** Code of an order event whose store the control plane does not know. */
export const STORE_UNKNOWN = 'CONTROL_STORE_UNKNOWN';

/**
 * Turns the order and ERP-document streams into the order_timeline table. An order event of a store the control
 * plane does not know is parked (CONTROL_STORE_UNKNOWN) rather than dropped: its sync log would belong to no
 * configured store; the operator connects the store, then replays.
 */
@Injectable()
export class TimelineHandler {
  constructor(
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    private readonly timeline: TimelineRepository,
  ) {}

  /** Handlers for the store orders stream (`ledgerline.store.orders.v1`). */
  orderHandlers(topic: string): Record<string, EventHandler> {
    const source = `store-gateway topic ${topic}`;
    const add = async (tx: PoolClient, event: EventEnvelope, ref: OrderRef, email: string | null, step: TimelineStep, summary: string, at = event.occurredAt) => {
      await this.requireStore(tx, ref, event.type);
      await this.timeline.add(tx, { tenantId: ref.tenantId, storeId: ref.storeId, orderId: ref.orderId, orderNumber: ref.orderNumber, email, step, source, summary, eventId: event.id, at });
    };
    return {
      [EventTypes.orderPlaced]: async (event, tx) => {
        const o = (event.payload as { order: CanonicalOrder }).order;
        await add(tx, event, o.orderRef, o.customer.email, 'received', `Order #${o.orderRef.orderNumber} (${o.totals.total.amount} ${o.currency}, ${o.status}) was placed in the store`, o.createdAt);
        await add(tx, event, o.orderRef, o.customer.email, 'published', 'store-gateway received it and published order.placed');
      },
      [EventTypes.orderUpdated]: async (event, tx) => {
        const o = (event.payload as { order: CanonicalOrder }).order;
        await add(tx, event, o.orderRef, o.customer.email, 'updated', `Order changed in the store (status ${o.status}); store-gateway published order.updated`);
      },
      [EventTypes.orderRefunded]: async (event, tx) => {
        const r = event.payload as OrderRefunded;
        await add(tx, event, r.orderRef, null, 'refunded', `Refund ${r.refundId} of ${r.amount.amount} ${r.currency}; store-gateway published order.refunded`);
      },
      [EventTypes.orderCancelled]: async (event, tx) => {
        const c = event.payload as OrderCancelled;
        await add(tx, event, c.orderRef, null, 'cancelled', 'Order cancelled in the store; store-gateway published order.cancelled');
      },
    };
  }

  /** Handlers for the ERP documents stream (`ledgerline.erp.documents.v1`). */
  documentHandlers(topic: string): Record<string, EventHandler> {
    return {
      [EventTypes.erpDocumentRecorded]: async (event, tx) => {
        const d = event.payload as ErpDocumentRecorded;
        const credit = d.creditsDocumentNumber ? ` crediting ${d.creditsDocumentNumber}` : '';
        await this.timeline.add(tx, {
          tenantId: d.orderRef.tenantId,
          storeId: d.orderRef.storeId,
          orderId: d.orderRef.orderId,
          orderNumber: d.orderRef.orderNumber,
          email: null,
          documentNumber: d.documentNumber,
          step: 'document-created',
          source: `connector-${d.erp} topic ${topic}`,
          summary: `${d.erp} ${d.kind} ${d.documentNumber}${credit} created (${d.total.amount} ${d.currency}, ref ${d.externalReference})`,
          eventId: event.id,
          at: d.recordedAt,
        });
      },
    };
  }

  private async requireStore(tx: PoolClient, ref: OrderRef, type: string): Promise<void> {
    const { rows } = await tx.query<{ tenant_id: string }>(`SELECT tenant_id FROM ${this.config.schema}.stores WHERE store_id = $1`, [ref.storeId]);
    const known = rows[0];
    if (!known) {
      throw new PermanentError(
        STORE_UNKNOWN,
        `${type} for order #${ref.orderNumber} of store "${ref.storeId}" (tenant "${ref.tenantId}") arrived, but the control plane has no store "${ref.storeId}", so its sync log has nowhere to go. Connect the store under Stores, then replay.`,
      );
    }
    if (known.tenant_id !== ref.tenantId) {
      throw new PermanentError(
        STORE_UNKNOWN,
        `${type} for order #${ref.orderNumber} names store "${ref.storeId}" of tenant "${ref.tenantId}", but that store belongs to tenant "${known.tenant_id}" here. Correct the store's tenant under Stores (or store-gateway's registration), then replay.`,
      );
    }
  }
}
