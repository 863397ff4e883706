import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { PaymentProvider } from '@ledgerline/contracts';
import { withTransaction } from '@ledgerline/messaging';
import type { MappingsRepository } from '../mappings/mappings.repository';
import { linesIngested } from '../metrics';
import { ORDER_KINDS, type ParsedSettlement, type SettlementLine } from '../settlements/settlement';

/** A merchant account with no mapping, as an upload or poll reports it. */
export interface UnmappedAccount {
  merchantAccount: string;
  lines: number;
  message: string;
}

/** What storing one report or API page did. */
export interface IngestResult {
  status: 'received' | 'already-received';
  provider: PaymentProvider;
  fileId: string | null;
  fileName: string | null;
  sha256: string | null;
  receivedAt: string;
  payouts: number;
  linesRead: number;
  linesStored: number;
  /** Lines already stored from an earlier file or poll (same provider line id): stored and booked once only. */
  linesAlreadyStored: number;
  unmapped: UnmappedAccount[];
  refusedRows: Array<{ row: number; column: string | null; message: string }>;
  message: string;
}

const CHUNK = 2000;

/**
 * Stores settlements: every line once per provider line id, every report file once per content hash. Lines of a
 * merchant account without a mapping are stored as `unmapped` (nothing is lost) and move on when the mapping appears.
 */
export class SettlementStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly mappings: MappingsRepository,
  ) {}

  /** Stores a parsed report file; the same bytes a second time store nothing and say "already received". */
  async ingestFile(parsed: ParsedSettlement, file: { name: string; bytes: Buffer; source: string }): Promise<IngestResult> {
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    return withTransaction(this.pool, async (tx) => {
      const inserted = await tx.query<{ id: string; received_at: Date }>(
        `INSERT INTO ${this.schema}.report_files (provider, file_name, sha256, source, size_bytes, lines_read, lines_stored, rows_refused)
         VALUES ($1,$2,$3,$4,$5,$6,0,$7) ON CONFLICT (provider, sha256) DO NOTHING RETURNING id, received_at`,
        [parsed.provider, file.name, sha256, file.source, file.bytes.length, parsed.lines.length, parsed.rejected.length],
      );
      if (!inserted.rows[0]) {
        const { rows } = await tx.query<{ id: string; file_name: string; received_at: Date }>(`SELECT id, file_name, received_at FROM ${this.schema}.report_files WHERE provider = $1 AND sha256 = $2`, [parsed.provider, sha256]);
        const first = rows[0];
        if (!first) throw new Error(`report file ${sha256} was reported as received but is not in report_files`);
        linesIngested.inc({ provider: parsed.provider, outcome: 'duplicate_file' }, parsed.lines.length);
        return {
          status: 'already-received',
          provider: parsed.provider,
          fileId: first.id,
          fileName: first.file_name,
          sha256,
          receivedAt: first.received_at.toISOString(),
          payouts: parsed.payouts.length,
          linesRead: parsed.lines.length,
          linesStored: 0,
          linesAlreadyStored: parsed.lines.length,
          unmapped: [],
          refusedRows: [],
          message: `Already received: these exact bytes arrived as file ${first.id} ("${first.file_name}") at ${first.received_at.toISOString()}. Nothing was stored or booked again.`,
        };
      }
      const fileId = inserted.rows[0].id;
      const result = await this.store(tx, parsed, fileId);
      await tx.query(`UPDATE ${this.schema}.report_files SET lines_stored = $2 WHERE id = $1`, [fileId, result.linesStored]);
      for (const r of parsed.rejected) {
        await tx.query(
          `INSERT INTO ${this.schema}.refused_rows (file_id, provider, merchant_account, payout_id, row_number, column_name, message, raw) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
          [fileId, parsed.provider, r.merchantAccount, r.payoutId, r.row, r.column, r.message, r.raw],
        );
      }
      // A later file that delivers a payout without refusing any of its rows replaces the refusals of earlier files.
      const clean = parsed.payouts.filter((p) => !parsed.rejected.some((r) => r.payoutId === p.payoutId || r.payoutId === null)).map((p) => p.payoutId);
      if (clean.length > 0) {
        await tx.query(
          `UPDATE ${this.schema}.refused_rows SET status = 'superseded' WHERE provider = $1 AND status = 'open' AND file_id <> $2 AND payout_id = ANY($3)`,
          [parsed.provider, fileId, clean],
        );
      }
      return {
        ...result,
        status: 'received',
        fileId,
        fileName: file.name,
        sha256,
        receivedAt: inserted.rows[0].received_at.toISOString(),
        refusedRows: parsed.rejected.map((r) => ({ row: r.row, column: r.column, message: r.message })),
        message: describeResult(result, parsed),
      };
    });
  }

  /** Stores what an API poll read (no file). */
  async ingestApi(parsed: ParsedSettlement): Promise<IngestResult> {
    const result = await withTransaction(this.pool, (tx) => this.store(tx, parsed, null));
    return { ...result, status: 'received', fileId: null, fileName: null, sha256: null, receivedAt: new Date().toISOString(), refusedRows: parsed.rejected.map((r) => ({ row: r.row, column: r.column, message: r.message })), message: describeResult(result, parsed) };
  }

  private async store(tx: PoolClient, parsed: ParsedSettlement, fileId: string | null): Promise<Pick<IngestResult, 'provider' | 'payouts' | 'linesRead' | 'linesStored' | 'linesAlreadyStored' | 'unmapped'>> {
    const tenants = new Map<string, string | null>();
    for (const account of new Set([...parsed.payouts.map((p) => p.merchantAccount), ...parsed.lines.map((l) => l.merchantAccount)])) {
      tenants.set(account, (await this.mappings.find(parsed.provider, account, { fresh: true }))?.tenantId ?? null);
    }
    for (const p of parsed.payouts) {
      // A payout first seen without a stated amount (a report) takes the amount an API poll states later.
      await tx.query(
        `INSERT INTO ${this.schema}.payouts (provider, merchant_account, payout_id, tenant_id, currency, amount, arrival_date) VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (provider, merchant_account, payout_id) DO UPDATE SET amount = COALESCE(${this.schema}.payouts.amount, EXCLUDED.amount)`,
        [p.provider, p.merchantAccount, p.payoutId, tenants.get(p.merchantAccount) ?? null, p.currency, p.amount, p.arrivalDate],
      );
    }
    let stored = 0;
    for (let i = 0; i < parsed.lines.length; i += CHUNK) stored += await this.insertLines(tx, parsed.lines.slice(i, i + CHUNK), tenants, fileId);
    const unmapped: UnmappedAccount[] = [];
    for (const [account, tenant] of tenants) {
      if (tenant !== null) continue;
      const n = parsed.lines.filter((l) => l.merchantAccount === account).length;
      unmapped.push({ merchantAccount: account, lines: n, message: unmappedMessage(parsed.provider, account) });
    }
    linesIngested.inc({ provider: parsed.provider, outcome: 'stored' }, stored);
    linesIngested.inc({ provider: parsed.provider, outcome: 'duplicate_line' }, parsed.lines.length - stored);
    return { provider: parsed.provider, payouts: parsed.payouts.length, linesRead: parsed.lines.length, linesStored: stored, linesAlreadyStored: parsed.lines.length - stored, unmapped };
  }

  private async insertLines(tx: PoolClient, lines: SettlementLine[], tenants: Map<string, string | null>, fileId: string | null): Promise<number> {
    const col = <K extends keyof SettlementLine>(k: K) => lines.map((l) => l[k]);
    const tenant = lines.map((l) => tenants.get(l.merchantAccount) ?? null);
    const status = lines.map((l, i) => (tenant[i] === null ? 'unmapped' : ORDER_KINDS.has(l.kind) ? 'waiting' : 'matched'));
    const reason = lines.map((l, i) => (tenant[i] === null ? unmappedMessage(l.provider, l.merchantAccount) : null));
    const res = await tx.query(
      `INSERT INTO ${this.schema}.settlement_lines (provider, line_id, merchant_account, payout_id, tenant_id, kind, currency, gross, fee, net, presentment_amount, presentment_currency,
         exchange_rate, order_number, order_ref_id, transaction_id, alt_transaction_id, refund_reference, provider_reference, description, occurred_at, status, reason_code, reason, file_id, matched_at)
       SELECT t.provider, t.line_id, t.merchant_account, t.payout_id, t.tenant_id, t.kind, t.currency, t.gross, t.fee, t.net, t.pa, t.pc, t.fx, t.onum, t.oid, t.txn, t.alt, t.rref, t.pref, t.descr, t.occ,
              t.status, CASE WHEN t.status = 'unmapped' THEN 'MAPPING_MISSING' END, t.reason, $24::bigint, CASE WHEN t.status = 'matched' THEN now() END
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::text[],
                     $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[])
           AS t(provider, line_id, merchant_account, payout_id, tenant_id, kind, currency, gross, fee, net, pa, pc, fx, onum, oid, txn, alt, rref, pref, descr, occ, status, reason)
       ON CONFLICT (provider, line_id) DO NOTHING`,
      [
        col('provider'),
        col('lineId'),
        col('merchantAccount'),
        col('payoutId'),
        tenant,
        col('kind'),
        col('currency'),
        col('gross'),
        col('fee'),
        col('net'),
        col('presentmentAmount'),
        col('presentmentCurrency'),
        col('exchangeRate'),
        col('orderNumber'),
        col('orderId'),
        col('transactionId'),
        col('altTransactionId'),
        col('refundReference'),
        col('providerReference'),
        col('description'),
        col('occurredAt'),
        status,
        reason,
        fileId,
      ],
    );
    return res.rowCount ?? 0;
  }
}

/** The message an operator sees for lines of a merchant account without a mapping. */
export function unmappedMessage(provider: string, merchantAccount: string): string {
  return `No mapping for ${provider} merchant account "${merchantAccount}": its lines are kept and wait. Add one with PUT /mappings/${provider}/${encodeURIComponent(merchantAccount)} (tenant, ERP connection, accounts, gateways); they are matched as soon as it exists.`;
}

function describeResult(r: Pick<IngestResult, 'linesRead' | 'linesStored' | 'linesAlreadyStored' | 'unmapped' | 'payouts'>, parsed: ParsedSettlement): string {
  const parts = [`Stored ${r.linesStored} of ${r.linesRead} lines in ${r.payouts} payout(s)`];
  if (r.linesAlreadyStored > 0) parts.push(`${r.linesAlreadyStored} were already stored and are not booked again`);
  for (const u of r.unmapped) parts.push(`${u.lines} line(s) of ${parsed.provider} merchant account "${u.merchantAccount}" wait for a mapping (PUT /mappings/${parsed.provider}/${encodeURIComponent(u.merchantAccount)})`);
  if (parsed.rejected.length > 0) {
    parts.push(
      `${parsed.rejected.length} row(s) were refused and their payouts are held until a corrected file arrives: ${parsed.rejected
        .slice(0, 5)
        .map((x) => `line ${x.row}${x.column ? ` column "${x.column}"` : ''}: ${x.message}`)
        .join('; ')}`,
    );
  }
  return `${parts.join('; ')}.`;
}
