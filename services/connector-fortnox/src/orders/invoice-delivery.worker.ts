import type { Pool, PoolClient } from 'pg';
import {
  DocumentIntents,
  IntentWorker,
  LedgerlineError,
  type DeliveredDocument,
  type DeliveryContext,
  type DeliveryPort,
  type DocumentIntent,
} from '@ledgerline/erp-kit';
import { envelope, ErpDocumentRecorded, orderKey } from '@ledgerline/contracts';
import type { OutboxWriter } from '@ledgerline/messaging';
import { Decimal } from '@ledgerline/money';
import { counter } from '@ledgerline/observability';
import type { FortnoxCall, FortnoxClient } from '../client/fortnox.client';
import type { CustomerList, CustomerWrite, Invoice, InvoiceList, InvoiceRow } from '../client/fortnox.types';
import type { StoreRepository } from '../persistence/store.repository';
import {
  externalRefOf,
  toCreditInvoice,
  toCustomer,
  toFullCredit,
  toInvoice,
  type CancelIntentPayload,
  type CreditIntentPayload,
  type InvoiceIntentPayload,
  type MappedInvoice,
  type PaymentIntentPayload,
} from './invoice.mapper';

export type Payload = InvoiceIntentPayload | CreditIntentPayload | CancelIntentPayload | PaymentIntentPayload;

/** What `prepare` hands to `create` for an invoice payment: the settled invoice and how the payment is recorded. */
export interface PreparedPayment {
  payment: { invoiceNumber: string; paymentDate: string; modeOfPayment: string; modeOfPaymentAccount?: number };
}

export type Prepared = PreparedInvoice | PreparedPayment;

/** A UTC timestamp → its calendar date in Stockholm (Fortnox dates are local). */
function stockholmDate(utc: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(utc));
}

/** What `prepare` hands to `create`: the mapped document, whom it is for, and what it credits. */
export interface PreparedInvoice {
  mapped: MappedInvoice;
  customer: CustomerWrite | { CustomerNumber: string };
  creditInvoiceReference?: string;
  /** A cancellation: void the original if it is not booked yet, else create the full credit. */
  cancels?: string;
}

/** SEK invoices are rounded to whole kronor ("öresutjämning", sandbox README "RoundOff"): up to 0.50 more difference. */
const ROUND_OFF = new Map<string, string>([['SEK', '0.50']]);

/**
 * Builds, finds and creates Fortnox invoices (`invoice`) and credit invoices (`credit-invoice`) for document intents.
 * `prepare` maps without calling Fortnox (so a missing mapping parks with nothing sent); `create` finds or creates the
 * customer by email, uses the SKU as article number where Fortnox has that article, creates the invoice and checks
 * Fortnox's total against the store's.
 */
export class FortnoxInvoicePort implements DeliveryPort<Payload, Prepared> {
  /** email (lower case) -> customer number, per connection; customers are never deleted through this connector. */
  private readonly customers = new Map<string, string>();

  constructor(
    private readonly client: FortnoxClient,
    private readonly intents: DocumentIntents,
    private readonly store: StoreRepository,
    private readonly pool: Pool,
  ) {}

  async prepare(intent: DocumentIntent<Payload>): Promise<Prepared> {
    const where = this.intents.contextOf(intent);
    if (intent.documentKind === 'payment') {
      const { payment, paymentFor } = intent.payload as PaymentIntentPayload;
      const original = await this.intents.requireSettled(
        this.pool,
        { tenantId: intent.tenantId, connectionId: intent.connectionId, sourceKind: 'order', sourceId: paymentFor.sourceId, documentKind: 'invoice' },
        intent,
      );
      return {
        payment: {
          invoiceNumber: original.documentNumber as string,
          paymentDate: stockholmDate(payment.paidAt),
          modeOfPayment: payment.modeOfPayment,
          ...(payment.modeOfPaymentAccount === undefined ? {} : { modeOfPaymentAccount: payment.modeOfPaymentAccount }),
        },
      };
    }
    const mappings = await this.store.mappings(this.pool, intent.tenantId);
    const ctx = { tenantId: intent.tenantId, where };
    if (intent.documentKind === 'invoice') {
      const { order } = intent.payload as InvoiceIntentPayload;
      return { mapped: toInvoice(order, mappings, ctx, intent.externalRef), customer: toCustomer(order) };
    }
    if (intent.documentKind !== 'credit-invoice') throw new Error(`connector-fortnox cannot deliver a ${intent.documentKind}`);
    const { creditFor } = intent.payload as CreditIntentPayload | CancelIntentPayload;
    // Waits (transient INTENT_ORIGINAL_NOT_DELIVERED) until the order's invoice is settled.
    const original = (await this.intents.requireSettled(
      this.pool,
      { tenantId: intent.tenantId, connectionId: intent.connectionId, sourceKind: 'order', sourceId: creditFor.sourceId, documentKind: 'invoice' },
      intent,
    )) as DocumentIntent<InvoiceIntentPayload>;
    const order = original.payload.order;
    const customerNumber = original.erpResponseSummary?.customerNumber;
    const customer = typeof customerNumber === 'string' ? { CustomerNumber: customerNumber } : toCustomer(order);
    if ('cancel' in intent.payload) {
      const invoice = toInvoice(order, mappings, ctx, original.externalRef);
      return { mapped: toFullCredit(invoice, intent.externalRef), customer, creditInvoiceReference: original.documentNumber as string, cancels: original.documentNumber as string };
    }
    const { refund } = intent.payload as CreditIntentPayload;
    return {
      mapped: toCreditInvoice(refund, order, mappings, ctx, intent.externalRef),
      customer,
      creditInvoiceReference: original.documentNumber as string,
    };
  }

  async findByExternalRef(intent: DocumentIntent<Payload>, ctx: DeliveryContext, prepared?: Prepared): Promise<DeliveredDocument | null> {
    const ref = intent.externalRef;
    const at = this.at(intent, ctx);
    if (intent.documentKind === 'payment') {
      // A payment carries no reference of ours (Fortnox copies the invoice's): any payment on the invoice counts.
      const invoiceNumber = prepared && 'payment' in prepared ? prepared.payment.invoiceNumber : await this.invoiceNumberOf(intent as DocumentIntent<PaymentIntentPayload>);
      const list = await this.client.get<{ InvoicePayments: { Number: string; Amount: number }[] }>(`/3/invoicepayments?invoicenumber=${encodeURIComponent(invoiceNumber)}&limit=500`, at);
      const hit = list.InvoicePayments[0];
      return hit ? { documentNumber: String(hit.Number), erpResponseSummary: { invoiceNumber, amount: hit.Amount, foundBy: 'invoicenumber' } } : null;
    }
    // Fortnox searches with ILIKE '%value%' (sandbox README, "Search"), so compare the hits exactly.
    for (let page = 1; ; page++) {
      const list = await this.client.get<InvoiceList>(`/3/invoices?externalinvoicereference1=${encodeURIComponent(ref)}&limit=500&page=${page}`, at);
      // A credit made in Fortnox with PUT /credit keeps the original's reference (sandbox README): skip credits for invoices.
      const hit = list.Invoices.find((i) => i.ExternalInvoiceReference1 === ref && !(intent.documentKind === 'invoice' && String((i as { Credit?: unknown }).Credit) === 'true'));
      if (hit) {
        const { Invoice: inv } = await this.client.get<{ Invoice: Invoice }>(`/3/invoices/${encodeURIComponent(hit.DocumentNumber)}`, at);
        return { documentNumber: inv.DocumentNumber, erpResponseSummary: { ...summaryOf(inv), foundBy: 'externalinvoicereference1' } };
      }
      if (page >= list.MetaInformation['@TotalPages']) return null;
    }
  }

  async create(intent: DocumentIntent<Payload>, prepared: Prepared, ctx: DeliveryContext): Promise<DeliveredDocument> {
    const at = this.at(intent, ctx);
    if ('payment' in prepared) return this.registerPayment(prepared.payment, at);
    if (prepared.cancels) {
      const { Invoice: original } = await this.client.get<{ Invoice: Invoice }>(`/3/invoices/${encodeURIComponent(prepared.cancels)}`, at);
      if (original.Cancelled) return { documentNumber: original.DocumentNumber, erpResponseSummary: { ...summaryOf(original), action: 'cancelled' } };
      if (!original.Booked) {
        const { Invoice: cancelled } = await this.client.put<{ Invoice: Invoice }>(`/3/invoices/${encodeURIComponent(prepared.cancels)}/cancel`, undefined, at);
        return { documentNumber: cancelled.DocumentNumber, erpResponseSummary: { ...summaryOf(cancelled), action: 'cancelled' } };
      }
      // Booked: a full credit invoice of our own (POST, with our external reference), so an unclear outcome can be searched.
    }
    const customerNumber = 'CustomerNumber' in prepared.customer ? prepared.customer.CustomerNumber : await this.customerFor(intent.connectionId, prepared.customer, at);
    const rows: InvoiceRow[] = [];
    for (const { row, sku } of prepared.mapped.rows) {
      rows.push(sku && !row.ArticleNumber && (await this.articleExists(sku, at)) ? { ArticleNumber: sku, ...row } : row);
    }
    const body = {
      Invoice: {
        ...prepared.mapped.invoice,
        CustomerNumber: customerNumber,
        InvoiceRows: rows,
        ...(prepared.creditInvoiceReference ? { CreditInvoiceReference: prepared.creditInvoiceReference } : {}),
      },
    };
    const { Invoice: inv } = await this.client.post<{ Invoice: Invoice }>('/3/invoices', body, at);

    // The mapper balanced the rows (rounding row on 3740), so Total − RoundOff should be the store's total; Fortnox may
    // still differ by its own rounding (one öre per row), and RoundOff may only be the currency's whole-unit rounding.
    const storeTotal = Decimal.of(prepared.mapped.expected.storeTotal);
    const roundOff = Decimal.of(String(inv.RoundOff ?? 0));
    const difference = Decimal.of(String(inv.Total)).sub(roundOff).sub(storeTotal);
    const tolerance = Decimal.of(prepared.mapped.expected.tolerance);
    if (difference.abs().gt(tolerance) || roundOff.abs().gt(Decimal.of(ROUND_OFF.get(inv.Currency) ?? '0'))) {
      // The document exists: not notApplied, so a replay finds and settles it instead of creating a second one.
      throw new LedgerlineError({
        code: 'FORTNOX_INVOICE_TOTAL_MISMATCH',
        kind: 'permanent',
        operatorMessage: `Fortnox created ${intent.documentKind === 'invoice' ? 'invoice' : 'credit invoice'} ${inv.DocumentNumber} with total ${inv.Total} ${inv.Currency}, but the store's total is ${storeTotal.toFixed(2)} (difference ${difference.toFixed(2)} before Fortnox's round-off ${roundOff.toFixed(2)}, more than rounding). Check the invoice in Fortnox against the order and the mappings under Mappings → Tax codes; correct or credit it in Fortnox, then replay to record it.`,
        context: this.intents.contextOf(intent),
        detail: JSON.stringify(summaryOf(inv)),
      });
    }
    return { documentNumber: inv.DocumentNumber, erpResponseSummary: { ...summaryOf(inv), ...(prepared.cancels ? { action: 'credited' } : {}), storeTotal: storeTotal.toFixed(2), difference: difference.add(roundOff).toFixed(2) } };
  }

  /** Books the invoice if Fortnox has not (a payment needs a booked invoice), then pays its amount to pay. */
  private async registerPayment(p: PreparedPayment['payment'], at: FortnoxCall): Promise<DeliveredDocument> {
    const path = `/3/invoices/${encodeURIComponent(p.invoiceNumber)}`;
    const { Invoice: inv } = await this.client.get<{ Invoice: Invoice }>(path, at);
    if (inv.Cancelled) {
      throw new LedgerlineError({
        code: 'FORTNOX_INVOICE_CANCELLED',
        kind: 'permanent',
        operatorMessage: `The store reports the order paid, but Fortnox invoice ${inv.DocumentNumber} is cancelled, so no payment can be registered on it. Register the payment in Fortnox by hand if it belongs there.`,
        context: at.context,
        notApplied: true,
      });
    }
    if (!inv.Booked) await this.client.put<{ Invoice: Invoice }>(`${path}/bookkeep`, undefined, at);
    const body = {
      InvoicePayment: {
        InvoiceNumber: Number(p.invoiceNumber),
        Amount: inv.Total,
        PaymentDate: p.paymentDate,
        ModeOfPayment: p.modeOfPayment,
        ...(p.modeOfPaymentAccount === undefined ? {} : { ModeOfPaymentAccount: p.modeOfPaymentAccount }),
      },
    };
    const { InvoicePayment: paid } = await this.client.post<{ InvoicePayment: { Number: string; Amount: number } }>('/3/invoicepayments', body, at);
    return { documentNumber: String(paid.Number), erpResponseSummary: { invoiceNumber: p.invoiceNumber, amount: paid.Amount, paymentDate: p.paymentDate, modeOfPayment: p.modeOfPayment } };
  }

  private async invoiceNumberOf(intent: DocumentIntent<PaymentIntentPayload>): Promise<string> {
    const original = await this.intents.requireSettled(
      this.pool,
      { tenantId: intent.tenantId, connectionId: intent.connectionId, sourceKind: 'order', sourceId: intent.payload.paymentFor.sourceId, documentKind: 'invoice' },
      intent,
    );
    return original.documentNumber as string;
  }

  private at(intent: DocumentIntent, ctx: DeliveryContext) {
    return { connectionId: intent.connectionId, signal: ctx.signal, context: this.intents.contextOf(intent) };
  }

  /** Finds the customer by email (exact, ignoring case, after Fortnox's substring search) or creates it. */
  private async customerFor(connectionId: string, customer: CustomerWrite, at: FortnoxCall): Promise<string> {
    const email = customer.Email.toLowerCase();
    const cacheKey = `${connectionId}|${email}`;
    const cached = this.customers.get(cacheKey);
    if (cached) return cached;
    const list = await this.client.get<CustomerList>(`/3/customers?email=${encodeURIComponent(customer.Email)}&limit=500`, at);
    const hit = list.Customers.find((c) => (c.Email ?? '').toLowerCase() === email);
    const number = hit ? hit.CustomerNumber : (await this.client.post<{ Customer: { CustomerNumber: string } }>('/3/customers', { Customer: customer }, at)).Customer.CustomerNumber;
    this.customers.set(cacheKey, number);
    return number;
  }

  private async articleExists(sku: string, at: FortnoxCall): Promise<boolean> {
    return (await this.client.find<unknown>(`/3/articles/${encodeURIComponent(sku)}`, at)) !== null;
  }
}

function summaryOf(inv: Invoice): Record<string, unknown> {
  return {
    total: inv.Total,
    totalVat: inv.TotalVAT,
    net: inv.Net,
    roundOff: inv.RoundOff,
    currency: inv.Currency,
    credit: inv.Credit === 'true' || inv.Credit === true,
    // Fortnox writes "0" when there is none (sandbox README); kept only for credit invoices, where it names the original.
    ...(inv.Credit === 'true' || inv.Credit === true ? { creditInvoiceReference: inv.CreditInvoiceReference } : {}),
    customerNumber: inv.CustomerNumber,
  };
}

/**
 * `erp-document.recorded` for a settled invoice or credit invoice, or null when the settled intent recorded no new
 * document (a payment, or a cancellation that voided the invoice). `total` is positive for both kinds (contract).
 */
export function erpDocumentRecorded(intent: DocumentIntent<Payload>, doc: DeliveredDocument, recordedAt: Date): ErpDocumentRecorded | null {
  const p = intent.payload;
  const summary = doc.erpResponseSummary ?? {};
  if (intent.documentKind !== 'invoice' && intent.documentKind !== 'credit-invoice') return null;
  if ('payment' in p || summary.action === 'cancelled') return null;
  const orderRef = 'order' in p ? p.order.orderRef : 'refund' in p ? p.refund.orderRef : p.cancel.orderRef;
  const currency = typeof summary.currency === 'string' ? summary.currency : 'order' in p ? p.order.currency : 'refund' in p ? p.refund.currency : 'SEK';
  const total = Decimal.of(String(summary.total ?? 0)).abs().toFixed(2);
  const credits = typeof summary.creditInvoiceReference === 'string' && summary.creditInvoiceReference !== '0' ? summary.creditInvoiceReference : null;
  return new ErpDocumentRecorded({
    orderRef: { tenantId: orderRef.tenantId, storeId: orderRef.storeId, orderId: orderRef.orderId, orderNumber: orderRef.orderNumber },
    kind: intent.documentKind,
    sourceId: 'refund' in p ? p.refund.refundId : orderRef.orderId,
    erp: 'fortnox',
    erpConnectionId: intent.connectionId,
    documentNumber: doc.documentNumber,
    creditsDocumentNumber: intent.documentKind === 'credit-invoice' ? credits : null,
    externalReference: intent.externalRef,
    total: { amount: total, currency },
    currency,
    recordedAt: recordedAt.toISOString(),
  });
}

/** The delivery worker for invoices and credit invoices, recording each settled document in the sync log. */
export function invoiceDeliveryWorker(opts: {
  pool: Pool;
  intents: DocumentIntents;
  port: FortnoxInvoicePort;
  store: StoreRepository;
  announcer?: DocumentAnnouncer;
  idleMs?: number;
  batchSize?: number;
  concurrency?: number;
}): IntentWorker<Payload, Prepared> {
  return new IntentWorker<Payload, Prepared>({
    pool: opts.pool,
    intents: opts.intents,
    port: opts.port,
    ...(opts.idleMs === undefined ? {} : { idleMs: opts.idleMs }),
    batchSize: opts.batchSize ?? 10,
    concurrency: opts.concurrency ?? 2,
    onSettled: (tx, intent, doc) => settleOrderDocument(tx, opts, intent, doc),
  });
}

/** Where the settle transaction announces a new invoice or credit invoice (`erp-document.recorded`). */
export interface DocumentAnnouncer {
  outbox: OutboxWriter;
  /** `ledgerline.erp.documents.v1` with the deployment's topic suffix. */
  topic: string;
}

/**
 * Runs in the settle transaction of an order's document intent: opens the payment intent of a paid order, records the
 * document in the sync log and, for a new invoice or credit invoice, appends `erp-document.recorded` to the outbox
 * (keyed like the order). The intent settles once (claim token), so the event is appended exactly once per document,
 * whether the number came from the create or from the search after an unclear call.
 */
export async function settleOrderDocument(
  tx: PoolClient,
  opts: { intents: DocumentIntents; store: StoreRepository; announcer?: DocumentAnnouncer },
  intent: DocumentIntent<Payload>,
  doc: DeliveredDocument,
): Promise<void> {
  const p = intent.payload;
  const orderRef = 'order' in p ? p.order.orderRef : 'refund' in p ? p.refund.orderRef : 'payment' in p ? p.payment.orderRef : p.cancel.orderRef;
  const cancelled = 'cancel' in p && doc.erpResponseSummary?.action === 'cancelled';
  if ('order' in p && intent.documentKind === 'invoice') await openPaymentIntent(tx, opts, intent as DocumentIntent<InvoiceIntentPayload>);
  await opts.store.recordDocument(tx, {
    tenantId: intent.tenantId,
    storeId: intent.storeId,
    orderId: orderRef.orderId,
    orderNumber: orderRef.orderNumber,
    recordType: intent.documentKind === 'invoice' ? 'invoice.created' : intent.documentKind === 'payment' ? 'payment.registered' : cancelled ? 'invoice.cancelled' : 'credit-invoice.created',
    documentKind: intent.documentKind,
    documentNumber: doc.documentNumber,
    externalRef: intent.externalRef,
    intentId: intent.id,
    summary: doc.erpResponseSummary ?? {},
  });
  const recorded = opts.announcer ? erpDocumentRecorded(intent, doc, new Date()) : null;
  if (recorded && opts.announcer) {
    const env = envelope.of(recorded, { tenantId: intent.tenantId, storeId: recorded.orderRef.storeId, causedBy: { id: intent.causationId, correlationId: intent.correlationId } });
    await opts.announcer.outbox.append(tx, env, { topic: opts.announcer.topic, key: orderKey(recorded.orderRef) });
    documentsRecorded.inc({ kind: recorded.kind, found: doc.erpResponseSummary?.foundBy ? 'true' : 'false' });
  }
}

const documentsRecorded = counter({
  name: 'ledgerline_fortnox_erp_documents_recorded_total',
  help: 'erp-document.recorded events appended to the outbox, by document kind and whether the number was found by search after an unclear call.',
  labelNames: ['kind', 'found'] as const,
});

/**
 * In the invoice's settle transaction: when the store reports the order paid and the tenant registers payments for
 * its payment method, opens the payment intent (one per order: erp-kit's source key).
 */
async function openPaymentIntent(tx: PoolClient, opts: { intents: DocumentIntents; store: StoreRepository }, invoice: DocumentIntent<InvoiceIntentPayload>): Promise<void> {
  const { order } = invoice.payload;
  if (!order.paidAt || !order.paymentMethod) return;
  const method = (await opts.store.mappings(tx, invoice.tenantId)).paymentMethods[order.paymentMethod.id];
  if (!method?.registerPayment) return;
  const payload: PaymentIntentPayload = {
    payment: {
      orderRef: order.orderRef,
      paidAt: order.paidAt,
      modeOfPayment: method.modeOfPayment,
      ...(method.modeOfPaymentAccount === undefined ? {} : { modeOfPaymentAccount: method.modeOfPaymentAccount }),
    },
    paymentFor: { sourceId: invoice.sourceId },
  };
  await opts.intents.open(tx, {
    tenantId: invoice.tenantId,
    connectionId: invoice.connectionId,
    storeId: invoice.storeId,
    sourceKind: 'order',
    sourceId: invoice.sourceId,
    sourceLabel: invoice.sourceLabel,
    documentKind: 'payment',
    externalRef: externalRefOf(order.orderRef, 'P'),
    payload,
    causedBy: { id: invoice.causationId, correlationId: invoice.correlationId },
  });
}
