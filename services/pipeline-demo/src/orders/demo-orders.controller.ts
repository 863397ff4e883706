import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import type { Pool } from 'pg';
import { envelope, orderKey, OrderPlaced } from '@ledgerline/contracts';
import { OutboxWriter, withTransaction } from '@ledgerline/messaging';
import type { PipelineDemoConfig } from '../config/pipeline-demo.config';
import { CONFIG, POOL } from '../config/tokens';
import { demoOrder } from './demo-order';
import { ordersTopic } from '../messaging/messaging.module';

/** Where one event is on its way: appended to the outbox, published by the relay, processed by the consumer's inbox. */
export interface EventJourney {
  eventId: string;
  orderKey: string;
  appendedAt: string;
  publishedAt: string | null;
  processedAt: string | null;
}

@Controller('demo/orders')
export class DemoOrdersController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: PipelineDemoConfig,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Places a demo order: its order.placed event goes into the outbox in the same transaction as nothing else. */
  @Post()
  @HttpCode(202)
  async place(@Body() body: { orderId?: unknown } = {}): Promise<{ eventId: string; orderKey: string }> {
    const orderId = body?.orderId === undefined ? String(Date.now()) : String(body.orderId);
    if (!/^\d{1,18}$/.test(orderId)) throw new BadRequestException(`orderId "${orderId}" must be a positive whole number, like 1234.`);
    return this.placeOrder(orderId);
  }

  async placeOrder(orderId: string): Promise<{ eventId: string; orderKey: string }> {
    const order = demoOrder(orderId);
    const event = envelope.of(new OrderPlaced({ order }), { tenantId: order.orderRef.tenantId, storeId: order.orderRef.storeId });
    const key = orderKey(order.orderRef);
    await withTransaction(this.pool, (tx) => this.outbox.append(tx, event, { topic: ordersTopic(this.config), key }));
    return { eventId: event.id, orderKey: key };
  }

  /** Shows the event's journey so far. */
  @Get(':eventId')
  async journey(@Param('eventId') eventId: string): Promise<EventJourney> {
    if (!/^[0-9a-f-]{36}$/i.test(eventId)) throw new BadRequestException(`"${eventId}" is not an event id (a UUID, as returned by POST /demo/orders).`);
    const s = this.config.schema;
    const { rows } = await this.pool.query(
      `SELECT o.event_id, o.message_key, o.created_at, o.sent_at, i.processed_at
         FROM ${s}.outbox_messages o LEFT JOIN ${s}.inbox_messages i ON i.event_id = o.event_id
        WHERE o.event_id = $1`,
      [eventId],
    );
    const r = rows[0];
    if (!r) throw new NotFoundException(`No demo event ${eventId} in the outbox of schema ${s}.`);
    return {
      eventId: r.event_id,
      orderKey: r.message_key,
      appendedAt: r.created_at.toISOString(),
      publishedAt: r.sent_at?.toISOString() ?? null,
      processedAt: r.processed_at?.toISOString() ?? null,
    };
  }
}
