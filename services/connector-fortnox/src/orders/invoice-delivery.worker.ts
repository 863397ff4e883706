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
import { Decimal } from '@ledgerline/money';
import type { FortnoxCall, FortnoxClient } from '../client/fortnox.client';
import type { CustomerList, CustomerWrite, Invoice, InvoiceList, InvoiceRow } from '../client/fortnox.types';
import type { StoreRepository } from '../persistence/store.repository';
import { toCreditInvoice, toCustomer, toFullCredit, toInvoice, type CancelIntentPayload, type CreditIntentPayload, type InvoiceIntentPayload, type MappedInvoice } from './invoice.mapper';

type Payload = InvoiceIntentPayload | CreditIntentPayload | CancelIntentPayload;

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
export class FortnoxInvoicePort implements DeliveryPort<Payload, PreparedInvoice> {
  /** email (lower case) -> customer number, per connection; customers are never deleted through this connector. */
  private readonly customers = new Map<string, string>();

  constructor(
    private readonly client: FortnoxClient,
    private readonly intents: DocumentIntents,
    private readonly store: StoreRepository,
    private readonly pool: Pool,
  ) {}

  async prepare(intent: DocumentIntent<Payload>): Promise<PreparedInvoice> {
    const where = this.intents.contextOf(intent);
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

  async findByExternalRef(intent: DocumentIntent<Payload>, ctx: DeliveryContext): Promise<DeliveredDocument | null> {
    const ref = intent.externalRef;
    const at = this.at(intent, ctx);
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

  async create(intent: DocumentIntent<Payload>, prepared: PreparedInvoice, ctx: DeliveryContext): Promise<DeliveredDocument> {
    const at = this.at(intent, ctx);
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
    customerNumber: inv.CustomerNumber,
  };
}

/** The delivery worker for invoices and credit invoices, recording each settled document in the sync log. */
export function invoiceDeliveryWorker(opts: {
  pool: Pool;
  intents: DocumentIntents;
  port: FortnoxInvoicePort;
  store: StoreRepository;
  idleMs?: number;
  batchSize?: number;
  concurrency?: number;
}): IntentWorker<Payload, PreparedInvoice> {
  return new IntentWorker<Payload, PreparedInvoice>({
    pool: opts.pool,
    intents: opts.intents,
    port: opts.port,
    ...(opts.idleMs === undefined ? {} : { idleMs: opts.idleMs }),
    batchSize: opts.batchSize ?? 10,
    concurrency: opts.concurrency ?? 2,
    // No invoice.created contract exists in libs/contracts yet: the record goes to the documents table only.
    onSettled: (tx: PoolClient, intent, doc) => {
      const p = intent.payload;
      const orderRef = 'order' in p ? p.order.orderRef : 'refund' in p ? p.refund.orderRef : p.cancel.orderRef;
      const cancelled = 'cancel' in p && doc.erpResponseSummary?.action === 'cancelled';
      return opts.store.recordDocument(tx, {
        tenantId: intent.tenantId,
        storeId: intent.storeId,
        orderId: orderRef.orderId,
        orderNumber: orderRef.orderNumber,
        recordType: intent.documentKind === 'invoice' ? 'invoice.created' : cancelled ? 'invoice.cancelled' : 'credit-invoice.created',
        documentKind: intent.documentKind,
        documentNumber: doc.documentNumber,
        externalRef: intent.externalRef,
        intentId: intent.id,
        summary: doc.erpResponseSummary ?? {},
      });
    },
  });
}
