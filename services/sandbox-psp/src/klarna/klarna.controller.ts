import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { klarnaError } from '../http/psp-http.error';
import { queryOf } from '../http/query';
import { PSP_RUNTIME } from '../http/runtime.token';
import type { PspRuntime, Scope } from '../psp-runtime';
import { payoutDate, payoutJson, transactionJson, type KlarnaPayout } from './klarna.render';

interface RawRequest {
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}
interface RawResponse {
  status(code: number): RawResponse;
  setHeader(name: string, value: string): void;
  send(body: string): void;
}

/** Klarna Settlements API v1 (settlements-api-openapi.yml): payouts, transactions, the payout CSV report. */
@Controller('klarna/settlements/v1')
export class KlarnaController {
  constructor(@Inject(PSP_RUNTIME) private readonly runtime: PspRuntime) {}

  private get apiUrl(): string {
    return `${this.runtime.faceUrl('klarna')}/settlements/v1`;
  }

  private scope(req: RawRequest): Scope {
    return this.runtime.gate('klarna', req.headers);
  }

  @Get('payouts')
  listPayouts(@Req() req: RawRequest) {
    const scope = this.scope(req);
    const q = queryOf(req.url);
    const start = optionalDate(q, 'start_date');
    const end = optionalDate(q, 'end_date');
    const currency = q.get('currency_code');
    const all = this.runtime
      .payouts('klarna', scope)
      .filter((p) => (!start || Date.parse(payoutDate(p)) >= start) && (!end || Date.parse(payoutDate(p)) <= end) && (!currency || p.currency === currency))
      .sort((a, b) => a.arrivalDate.localeCompare(b.arrivalDate) || a.payoutId.localeCompare(b.payoutId));
    const { items, pagination } = paginate(all, q, `${this.apiUrl}/payouts`);
    return { payouts: items.map((p) => payoutJson(p, this.apiUrl)), pagination };
  }

  @Get('payouts/:paymentReference')
  getPayout(@Req() req: RawRequest, @Param('paymentReference') paymentReference: string) {
    return payoutJson(this.find(this.scope(req), paymentReference), this.apiUrl);
  }

  @Get('transactions')
  listTransactions(@Req() req: RawRequest) {
    const scope = this.scope(req);
    const q = queryOf(req.url);
    const reference = q.get('payment_reference');
    const orderId = q.get('order_id');
    const payouts = reference ? [this.find(scope, reference)] : this.runtime.payouts('klarna', scope);
    const all = payouts.flatMap((p) => p.records.filter((r) => !orderId || r.data.payment?.transactionId === orderId).map((r) => ({ p, r })));
    const { items, pagination } = paginate(all, q, `${this.apiUrl}/transactions`);
    return { transactions: items.map(({ p, r }) => transactionJson(p, r, this.apiUrl)), pagination };
  }

  @Get('reports/payout-with-transactions')
  report(@Req() req: RawRequest, @Res() res: RawResponse): void {
    const scope = this.scope(req);
    const reference = queryOf(req.url).get('payment_reference');
    if (!reference) throw klarnaError(400, 'BAD_VALUE', ['payment_reference is required: the reference of the payout on your bank statement']);
    const p = this.find(scope, reference);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="payout-with-transactions-${p.payoutId}.csv"`);
    res.status(200).send(this.runtime.reportCsv('klarna', p.merchantAccount, p.payoutId));
  }

  private find(scope: Scope, paymentReference: string): KlarnaPayout {
    const p = this.runtime.payouts('klarna', scope).find((x) => x.payoutId === paymentReference);
    if (!p) throw klarnaError(404, 'NOT_FOUND', [`No payout with payment_reference ${paymentReference}`]);
    return p;
  }
}

/** An ISO 8601 date or date-time filter; a date alone means 00:00:00Z (spec). */
function optionalDate(q: URLSearchParams, name: string): number | null {
  const raw = q.get(name);
  if (raw === null || raw === '') return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(ms)) throw klarnaError(400, 'BAD_VALUE', [`${name} must be an ISO 8601 date-time like 2020-01-23T00:00:00Z, got ${raw}`]);
  return ms;
}

/** Klarna's `size` (1–500, default 20) / `offset` pagination with `next` and `prev` links. */
function paginate<T>(all: T[], q: URLSearchParams, base: string): { items: T[]; pagination: Record<string, unknown> } {
  const int = (name: string, dflt: number, min: number, max: number) => {
    const raw = q.get(name);
    if (raw === null || raw === '') return dflt;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw klarnaError(400, 'BAD_VALUE', [`${name} must be an integer from ${min} to ${max}, got ${raw}`]);
    return Number(raw);
  };
  const size = int('size', 20, 1, 500);
  const offset = int('offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const items = all.slice(offset, offset + size);
  const link = (o: number) => {
    const next = new URLSearchParams(q);
    next.set('offset', String(o));
    next.set('size', String(size));
    return `${base}?${next.toString()}`;
  };
  const pagination: Record<string, unknown> = { count: items.length, total: all.length, offset };
  if (offset + size < all.length) pagination.next = link(offset + size);
  if (offset > 0) pagination.prev = link(Math.max(0, offset - size));
  return { items, pagination };
}
