// REFERENCE PORT FOR TESTS ONLY (see fortnox-test.client.ts): services/connector-fortnox replaces it with its
// invoice mapper and invoice-delivery worker.
import type { Pool } from 'pg';
import { Money } from '@ledgerline/money';
import { resolveMapping, type DeliveredDocument, type DeliveryContext, type DeliveryPort, type DocumentIntent, type DocumentIntents } from '../../src';
import type { FortnoxTestClient } from './fortnox-test.client';

/** One order line as the (test) handler copies it from order.placed into the intent. */
export interface OrderLinePayload {
  description: string;
  quantity: string;
  unitPrice: string;
  tax: { country: string; ratePercent: string };
}

/** The intent payload of an invoice or credit invoice. */
export interface InvoicePayload {
  orderNumber: string;
  currency: string;
  lines: OrderLinePayload[];
  /** For a credit invoice: the source id of the order whose invoice it credits. */
  creditFor?: { sourceId: string };
}

/** A tenant's tax-code mapping entry: Fortnox VAT rate and sales account. */
export interface FortnoxTaxCode {
  vat: number;
  account: number;
}

/** The Fortnox request a delivery sends (`POST /3/invoices`). */
export interface FortnoxInvoiceRequest {
  Invoice: Record<string, unknown>;
}

interface InvoiceListItem {
  DocumentNumber: string;
  ExternalInvoiceReference1: string;
}

interface InvoiceList {
  Invoices: InvoiceListItem[];
  MetaInformation: { '@TotalPages': number; '@CurrentPage': number };
}

/** Builds, finds and creates Fortnox invoices and credit invoices for document intents. */
export class FortnoxInvoicePort implements DeliveryPort<InvoicePayload, FortnoxInvoiceRequest> {
  constructor(
    private readonly client: FortnoxTestClient,
    private readonly intents: DocumentIntents,
    private readonly pool: Pool,
    private readonly taxCodes: ReadonlyMap<string, FortnoxTaxCode>,
    private readonly customerNumber: string,
  ) {}

  async prepare(intent: DocumentIntent<InvoicePayload>): Promise<FortnoxInvoiceRequest> {
    const p = intent.payload;
    const where = this.intents.contextOf(intent);
    const sign = intent.documentKind === 'credit-invoice' ? -1 : 1;
    const rows = p.lines.map((line) => {
      const tax = resolveMapping(this.taxCodes, `${line.tax.country}:${line.tax.ratePercent}`, {
        what: 'tax-code',
        tenant: intent.tenantId,
        where,
        label: `tax rate ${line.tax.country} ${line.tax.ratePercent}%`,
      });
      return {
        Description: line.description,
        // Exact decimal strings from the event; Fortnox takes JSON numbers, and two decimals survive the conversion.
        Price: Number(Money.of(line.unitPrice, p.currency).toContract().amount),
        DeliveredQuantity: sign * Number(line.quantity),
        VAT: tax.vat,
        AccountNumber: tax.account,
      };
    });
    const invoice: Record<string, unknown> = {
      CustomerNumber: this.customerNumber,
      ExternalInvoiceReference1: intent.externalRef,
      YourOrderNumber: p.orderNumber,
      Currency: p.currency,
      InvoiceRows: rows,
    };
    if (intent.documentKind === 'credit-invoice') {
      if (!p.creditFor) throw new Error(`credit invoice intent ${intent.id} has no creditFor`);
      const original = await this.intents.requireSettled(
        this.pool,
        { tenantId: intent.tenantId, connectionId: intent.connectionId, sourceKind: 'order', sourceId: p.creditFor.sourceId, documentKind: 'invoice' },
        intent,
      );
      invoice.CreditInvoiceReference = original.documentNumber;
    }
    return { Invoice: invoice };
  }

  async findByExternalRef(intent: DocumentIntent<InvoicePayload>, ctx: DeliveryContext): Promise<DeliveredDocument | null> {
    const ref = intent.externalRef;
    // Fortnox searches with ILIKE '%value%' (sandbox README, "Search"), so compare the hits exactly.
    for (let page = 1; ; page++) {
      const list = await this.client.call<InvoiceList>('GET', `/3/invoices?externalinvoicereference1=${encodeURIComponent(ref)}&limit=500&page=${page}`, undefined, {
        signal: ctx.signal,
        context: this.intents.contextOf(intent),
      });
      const hit = list.Invoices.find((i) => i.ExternalInvoiceReference1 === ref);
      if (hit) return { documentNumber: hit.DocumentNumber, erpResponseSummary: { foundBy: 'externalinvoicereference1' } };
      if (page >= list.MetaInformation['@TotalPages']) return null;
    }
  }

  async create(intent: DocumentIntent<InvoicePayload>, prepared: FortnoxInvoiceRequest, ctx: DeliveryContext): Promise<DeliveredDocument> {
    const res = await this.client.call<{ Invoice: { DocumentNumber: string; Total: number; Currency: string; Credit: string } }>('POST', '/3/invoices', prepared, {
      signal: ctx.signal,
      context: this.intents.contextOf(intent),
    });
    return {
      documentNumber: res.Invoice.DocumentNumber,
      erpResponseSummary: { total: res.Invoice.Total, currency: res.Invoice.Currency, credit: res.Invoice.Credit === 'true' },
    };
  }
}
