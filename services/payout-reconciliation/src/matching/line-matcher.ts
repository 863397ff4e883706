import { Decimal } from '@ledgerline/money';
import { gatewayMatches, type ProviderMapping } from '../mappings/provider-mapping';
import type { SettlementLine } from '../settlements/settlement';

/** An order as matching knows it. */
export interface KnownOrder {
  tenantId: string;
  storeId: string;
  orderId: string;
  orderNumber: string;
  gateway: string | null;
  transactionId: string | null;
  currency: string;
}

/** A refund of an order, with the credit invoice recorded for it (if any). */
export interface KnownRefund {
  refundId: string;
  amount: string;
  currency: string;
  createdAt: string;
}

/** What matching looks up for one batch of lines of one tenant. */
export interface MatchContext {
  tenantId: string;
  ordersByTransaction: Map<string, KnownOrder[]>;
  ordersById: Map<string, KnownOrder[]>;
  ordersByNumber: Map<string, KnownOrder[]>;
  /** Invoice number by `store:order`. */
  invoices: Map<string, string>;
  /** Refunds by `store:order`, oldest first. */
  refunds: Map<string, KnownRefund[]>;
  /** Credit invoice number by `store:refund`. */
  creditInvoices: Map<string, string>;
  /** `store:refund` already settled by another line; a refund is matched to one line only. */
  usedRefunds: Set<string>;
}

export type MatchOutcome =
  | { status: 'matched'; order: KnownOrder; documentNumber: string; refundId: string | null }
  | { status: 'waiting'; code: WaitCode; reason: string };

/** Why a line waits; stable codes the console can filter on. */
export type WaitCode = 'ORDER_NOT_FOUND' | 'ORDER_AMBIGUOUS' | 'ORDER_REFERENCE_CONFLICT' | 'CURRENCY_MISMATCH' | 'INVOICE_NOT_RECORDED' | 'REFUND_NOT_FOUND' | 'CREDIT_INVOICE_NOT_RECORDED';

const NAMES = { stripe: 'Stripe', klarna: 'Klarna', adyen: 'Adyen' } as const;
const TXN_LABEL = { stripe: 'charge', klarna: 'order id', adyen: 'PSP reference' } as const;

const orderKeyOf = (o: { storeId: string; orderId: string }) => `${o.storeId}:${o.orderId}`;
const describe = (o: KnownOrder) => `order ${o.orderNumber} (store "${o.storeId}", id ${o.orderId})`;

function unique(orders: KnownOrder[]): KnownOrder[] {
  const seen = new Map<string, KnownOrder>();
  for (const o of orders) seen.set(orderKeyOf(o), o);
  return [...seen.values()];
}

/**
 * Finds the order and the ERP document a settlement line settles, or says why it must wait. Pure: every lookup comes
 * from `ctx`. Marks the refund it takes in `ctx.usedRefunds`, so two refund lines never settle one credit invoice.
 *
 * Order: the provider's payment id (the store's transaction_id) first; the store's order id, then the order number
 * (merchant reference) only when no order carries the payment id. Only orders paid through one of the mapping's
 * gateways count, so a Klarna line never matches a Stripe order with the same number.
 */
export function matchLine(line: SettlementLine, mapping: ProviderMapping, ctx: MatchContext): MatchOutcome {
  const name = NAMES[line.provider];
  const ours = (orders: KnownOrder[] | undefined) => unique((orders ?? []).filter((o) => mapping.gateways.some((g) => o.gateway !== null && gatewayMatches(g, o.gateway))));
  const gateways = mapping.gateways.join(', ');

  let found: KnownOrder[] = [];
  let how = '';
  for (const id of [line.transactionId, line.altTransactionId]) {
    if (id && found.length === 0) {
      found = ours(ctx.ordersByTransaction.get(id));
      how = `${name} ${TXN_LABEL[line.provider]} ${id}`;
    }
  }
  if (found.length === 0 && line.orderId) {
    found = ours(ctx.ordersById.get(line.orderId));
    how = `order id ${line.orderId}`;
  }
  if (found.length === 0 && line.orderNumber) {
    found = ours(ctx.ordersByNumber.get(line.orderNumber));
    how = `merchant reference ${line.orderNumber}`;
  }
  if (found.length === 0) {
    const refs = [line.transactionId && `${name} ${TXN_LABEL[line.provider]} ${line.transactionId}`, line.orderId && `order id ${line.orderId}`, line.orderNumber && `order number ${line.orderNumber}`].filter(Boolean);
    return {
      status: 'waiting',
      code: 'ORDER_NOT_FOUND',
      reason: refs.length
        ? `No order with ${refs.join(' or ')} in the stores of tenant "${ctx.tenantId}" paid with ${gateways}. It is matched automatically when the order arrives; if it never will, check the gateways of mapping ${line.provider}/${line.merchantAccount} or resolve the line by hand.`
        : `The ${name} ${line.kind} line ${line.providerReference} carries no order reference; resolve it by hand to the adjustment account.`,
    };
  }
  if (found.length > 1) {
    const n = found.length === 2 ? 'Two' : `${found.length}`;
    return {
      status: 'waiting',
      code: 'ORDER_AMBIGUOUS',
      reason: `${n} orders carry ${how}: ${found.map(describe).join(', ')}. Resolve the line by hand, or make order numbers unique per tenant.`,
    };
  }
  const [order] = found;
  if (!order) throw new Error('unreachable: one order found');
  if (line.transactionId && order.transactionId && order.transactionId !== line.transactionId && order.transactionId !== line.altTransactionId) {
    return {
      status: 'waiting',
      code: 'ORDER_REFERENCE_CONFLICT',
      reason: `${describe(order)} carries ${how} but its transaction id is ${order.transactionId}, not ${line.transactionId}: it may be a different payment. Resolve the line by hand.`,
    };
  }
  if (line.presentmentCurrency && line.presentmentCurrency !== order.currency) {
    return {
      status: 'waiting',
      code: 'CURRENCY_MISMATCH',
      reason: `The ${name} line ${line.providerReference} charged ${line.presentmentAmount} ${line.presentmentCurrency}, but ${describe(order)} is in ${order.currency}. Resolve the line by hand.`,
    };
  }
  const key = orderKeyOf(order);
  if (line.kind !== 'refund') {
    const invoice = ctx.invoices.get(key);
    if (!invoice) {
      return {
        status: 'waiting',
        code: 'INVOICE_NOT_RECORDED',
        reason: `${describe(order)} has no ERP invoice recorded yet. The line is matched automatically when the ERP connector records it (erp-document.recorded); check the order's sync log if it does not.`,
      };
    }
    return { status: 'matched', order, documentNumber: invoice, refundId: null };
  }

  const open = (ctx.refunds.get(key) ?? []).filter((r) => !ctx.usedRefunds.has(`${order.storeId}:${r.refundId}`));
  const reference = line.refundReference;
  const byReference = reference ? open.find((r) => r.refundId === reference || new RegExp(`(^|\\D)${r.refundId.replace(/\D/g, '') || '\u0000'}$`).test(reference)) : undefined;
  const amount = line.presentmentAmount && (!line.presentmentCurrency || line.presentmentCurrency === order.currency) ? Decimal.of(line.presentmentAmount) : Decimal.of(line.gross).abs();
  const knownAmount = line.presentmentAmount !== null && line.presentmentCurrency === order.currency;
  // Without the amount in the order's currency (Klarna converts without saying what the customer was refunded), the
  // order's only open refund is the one; with two or more it waits for a person rather than guess.
  const refund = byReference ?? open.find((r) => Decimal.of(r.amount).eq(amount)) ?? (!knownAmount && open.length === 1 ? open[0] : undefined);
  if (!refund) {
    return {
      status: 'waiting',
      code: 'REFUND_NOT_FOUND',
      reason: `${describe(order)} has no refund of ${amount.toFixed(2)} ${order.currency}${line.refundReference ? ` (reference ${line.refundReference})` : ''} that another line has not settled. It is matched automatically when the refund arrives (order.refunded).`,
    };
  }
  const credit = ctx.creditInvoices.get(`${order.storeId}:${refund.refundId}`);
  if (!credit) {
    return {
      status: 'waiting',
      code: 'CREDIT_INVOICE_NOT_RECORDED',
      reason: `Refund ${refund.refundId} of ${describe(order)} has no ERP credit invoice recorded yet; matched automatically when the connector records it.`,
    };
  }
  ctx.usedRefunds.add(`${order.storeId}:${refund.refundId}`);
  return { status: 'matched', order, documentNumber: credit, refundId: refund.refundId };
}
