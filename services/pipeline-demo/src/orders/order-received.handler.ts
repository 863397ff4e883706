import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { orderKey, type EventEnvelope, type OrderPlaced } from '@ledgerline/contracts';
import { createLogger } from '@ledgerline/observability';
import type { PipelineDemoConfig } from '../config/pipeline-demo.config';
import { CONFIG } from '../config/tokens';

/** Records each order.placed the demo consumer received, inside the inbox transaction. */
@Injectable()
export class OrderReceivedHandler {
  private readonly log = createLogger('order-received');

  private readonly schema: string;

  constructor(@Inject(CONFIG) config: PipelineDemoConfig) {
    this.schema = config.schema;
  }

  async handle(event: EventEnvelope, tx: PoolClient): Promise<void> {
    const { order } = event.payload as OrderPlaced;
    await tx.query(
      `INSERT INTO ${this.schema}.received_orders (event_id, order_key, order_number, total, currency) VALUES ($1, $2, $3, $4, $5)`,
      [event.id, orderKey(order.orderRef), order.orderRef.orderNumber, order.totals.total.amount, order.currency],
    );
    this.log.info({ eventId: event.id, orderNumber: order.orderRef.orderNumber }, `inbox: order #${order.orderRef.orderNumber} received once (${order.totals.total.amount} ${order.currency})`);
  }
}
