import { BadRequestException, ConflictException, Controller, Get, Inject, NotFoundException, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Pool } from 'pg';
import type { PayoutReconciliationConfig } from '../config/payout-reconciliation.config';
import { COMPONENTS, CONFIG, POOL } from '../config/tokens';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { readJsonObject } from '../http/read-body';
import type { PayoutComponents } from '../messaging/components';

/** A payout as the admin API lists it. `matched`: every line matched, not booked (held, or booked on the next pass). */
export interface PayoutView {
  provider: string;
  merchantAccount: string;
  payoutId: string;
  tenantId: string | null;
  currency: string;
  amount: string | null;
  arrivalDate: string;
  status: 'waiting' | 'matched' | 'booked';
  lines: number;
  linesMatched: number;
  linesWaiting: number;
  totals: { gross: string; fees: string; net: string };
  hold: { code: string; reason: string } | null;
  bookedAt: string | null;
}

/** One entry of the exception list: a line that waits (with why) or a payout that is held (with why). */
export interface ExceptionView {
  type: 'line' | 'payout';
  provider: string;
  merchantAccount: string;
  payoutId: string;
  lineId: string | null;
  tenantId: string | null;
  kind: string | null;
  amount: string | null;
  currency: string;
  code: string;
  reason: string;
  since: string;
}

/** Payouts with status and totals, the exception list, and resolving an exception by hand. */
@Controller()
@UseGuards(AdminTokenGuard)
export class PayoutsController {
  private readonly s: string;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: PayoutReconciliationConfig,
    @Inject(COMPONENTS) private readonly c: PayoutComponents,
  ) {
    this.s = `"${config.schema}"`;
  }

  @Get('payouts')
  async list(@Query('status') status?: string, @Query('provider') provider?: string, @Query('tenantId') tenantId?: string, @Query('limit') limit?: string): Promise<PayoutView[]> {
    if (status && !['waiting', 'matched', 'booked'].includes(status)) throw new BadRequestException({ statusCode: 400, code: 'PAYOUT_STATUS_UNKNOWN', message: `status must be waiting, matched or booked (got "${status}").` });
    const { rows } = await this.pool.query(
      `SELECT * FROM (
         SELECT p.provider, p.merchant_account, p.payout_id, p.tenant_id, p.currency, p.amount::text, to_char(p.arrival_date, 'YYYY-MM-DD') AS arrival_date, p.hold_code, p.hold_reason, p.booked_at,
                count(l.line_id)::int AS lines, count(l.line_id) FILTER (WHERE l.status IN ('matched','resolved','booked'))::int AS matched,
                COALESCE(sum(l.gross), 0)::text AS gross, COALESCE(sum(l.gross) - sum(l.net), 0)::text AS fees, COALESCE(sum(l.net), 0)::text AS net,
                CASE WHEN p.status = 'booked' THEN 'booked' WHEN count(l.line_id) FILTER (WHERE l.status IN ('waiting','unmapped')) = 0 THEN 'matched' ELSE 'waiting' END AS status
           FROM ${this.s}.payouts p LEFT JOIN ${this.s}.settlement_lines l ON l.provider = p.provider AND l.merchant_account = p.merchant_account AND l.payout_id = p.payout_id
          WHERE ($1::text IS NULL OR p.provider = $1) AND ($2::text IS NULL OR p.tenant_id = $2)
          GROUP BY p.provider, p.merchant_account, p.payout_id) x
        WHERE ($3::text IS NULL OR x.status = $3) ORDER BY arrival_date DESC, payout_id LIMIT $4`,
      [provider ?? null, tenantId ?? null, status ?? null, Math.min(Number(limit) || 500, 5000)],
    );
    return rows.map((r) => ({
      provider: r.provider,
      merchantAccount: r.merchant_account,
      payoutId: r.payout_id,
      tenantId: r.tenant_id,
      currency: r.currency,
      amount: r.amount === null ? null : Number.isNaN(Number(r.amount)) ? r.amount : r.amount,
      arrivalDate: r.arrival_date,
      status: r.status,
      lines: r.lines,
      linesMatched: r.matched,
      linesWaiting: r.lines - r.matched,
      totals: { gross: r.gross, fees: r.fees, net: r.net },
      hold: r.hold_code ? { code: r.hold_code, reason: r.hold_reason } : null,
      bookedAt: r.booked_at ? r.booked_at.toISOString() : null,
    }));
  }

  @Get('exceptions')
  async exceptions(@Query('provider') provider?: string, @Query('tenantId') tenantId?: string, @Query('code') code?: string, @Query('limit') limit?: string): Promise<ExceptionView[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM (
         SELECT 'line' AS type, provider, merchant_account, payout_id, line_id, tenant_id, kind, gross::text AS amount, currency, COALESCE(reason_code, 'UNKNOWN') AS code, COALESCE(reason, '') AS reason, received_at AS since
           FROM ${this.s}.settlement_lines WHERE status IN ('waiting', 'unmapped')
         UNION ALL
         SELECT 'payout', provider, merchant_account, payout_id, NULL, tenant_id, NULL, amount::text, currency, hold_code, hold_reason, first_seen_at
           FROM ${this.s}.payouts WHERE status = 'waiting' AND hold_code IS NOT NULL) e
        WHERE ($1::text IS NULL OR provider = $1) AND ($2::text IS NULL OR tenant_id = $2) AND ($3::text IS NULL OR code = $3)
        ORDER BY since, payout_id, line_id LIMIT $4`,
      [provider ?? null, tenantId ?? null, code ?? null, Math.min(Number(limit) || 1000, 10000)],
    );
    return rows.map((r) => ({
      type: r.type,
      provider: r.provider,
      merchantAccount: r.merchant_account,
      payoutId: r.payout_id,
      lineId: r.line_id,
      tenantId: r.tenant_id,
      kind: r.kind,
      amount: r.amount,
      currency: r.currency,
      code: r.code,
      reason: r.reason,
      since: r.since.toISOString(),
    }));
  }

  /**
   * Resolves a waiting line by hand: it is booked to the mapping's adjustment account (or `account`, e.g. a suspense
   * account) with the operator's note, and its payout is booked on the next pass when nothing else waits.
   */
  @Post('exceptions/:provider/:lineId/resolve')
  async resolve(@Param('provider') provider: string, @Param('lineId') lineId: string, @Req() req: IncomingMessage): Promise<{ provider: string; lineId: string; status: 'resolved'; account: string; note: string }> {
    const body = await readJsonObject(req, '{"note": "customer paid twice, refunded outside the shop", "account": "2999"}');
    const note = typeof body['note'] === 'string' ? body['note'].trim() : '';
    if (note.length < 3) throw new BadRequestException({ statusCode: 400, code: 'RESOLUTION_NOTE_MISSING', message: 'Say why in "note" (at least 3 characters): it is written on the ERP voucher.' });
    const account = body['account'];
    if (account !== undefined && (typeof account !== 'string' || !/^[A-Za-z0-9._-]{1,20}$/.test(account))) throw new BadRequestException({ statusCode: 400, code: 'RESOLUTION_ACCOUNT_INVALID', message: '"account" must be an ERP account number like "2999", or left out for the mapping\'s adjustment account.' });
    const { rows } = await this.pool.query<{ status: string; merchant_account: string }>(`SELECT status, merchant_account FROM ${this.s}.settlement_lines WHERE provider = $1 AND line_id = $2`, [provider, lineId]);
    const line = rows[0];
    if (!line) throw new NotFoundException({ statusCode: 404, code: 'SETTLEMENT_LINE_UNKNOWN', message: `No ${provider} settlement line "${lineId}"; list open ones with GET /exceptions.` });
    if (line.status !== 'waiting') throw new ConflictException({ statusCode: 409, code: 'SETTLEMENT_LINE_NOT_WAITING', message: `${provider} line "${lineId}" is ${line.status}${line.status === 'unmapped' ? `: add the mapping for merchant account "${line.merchant_account}" first` : ''}; only waiting lines can be resolved by hand.` });
    const mapping = await this.c.mappings.find(provider, line.merchant_account, { fresh: true });
    if (!mapping) throw new ConflictException({ statusCode: 409, code: 'MAPPING_MISSING', message: `${provider} line "${lineId}" belongs to merchant account "${line.merchant_account}", which has no mapping any more; add it with PUT /mappings/${provider}/${line.merchant_account}.` });
    const target = typeof account === 'string' ? account : mapping.accounts.adjustment;
    const res = await this.pool.query(
      `UPDATE ${this.s}.settlement_lines SET status = 'resolved', resolution_account = $3, resolution_note = $4, reason_code = NULL, reason = NULL, matched_at = now() WHERE provider = $1 AND line_id = $2 AND status = 'waiting'`,
      [provider, lineId, target, note],
    );
    if (res.rowCount !== 1) throw new ConflictException({ statusCode: 409, code: 'SETTLEMENT_LINE_NOT_WAITING', message: `${provider} line "${lineId}" was matched or resolved meanwhile.` });
    this.c.worker.poke();
    return { provider, lineId, status: 'resolved', account: target, note };
  }
}
