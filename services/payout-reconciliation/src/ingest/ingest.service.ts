import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import type { PaymentProvider } from '@ledgerline/contracts';
import { createLogger } from '@ledgerline/observability';
import { basicAuth, providerGet } from '../clients/provider.client';
import type { MappingsRepository } from '../mappings/mappings.repository';
import type { ProviderMapping } from '../mappings/provider-mapping';
import { reportsReceived } from '../metrics';
import { parseAdyenReport } from '../settlements/adyen.parser';
import { ReportRefusedError } from '../settlements/csv-table';
import { mapKlarnaPayout, parseKlarnaReport, type KlarnaPayout, type KlarnaTransaction } from '../settlements/klarna.parser';
import type { ParsedSettlement } from '../settlements/settlement';
import { mapStripePayout, type StripeBalanceTransaction, type StripeList, type StripePayout } from '../settlements/stripe.parser';
import { parseStripeReport } from '../settlements/stripe.parser';
import type { IngestResult, SettlementStore } from './settlement-store';

/** Thrown when an upload cannot be taken as given; the controller answers 4xx with the message. */
export class IngestRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** What a poll of one account read. */
export interface PollReport {
  provider: PaymentProvider;
  merchantAccount: string;
  payoutsRead: number;
  payoutsStored: number;
  linesStored: number;
  error?: string;
}

/** Settings the ingest paths need. */
export interface IngestSettings {
  stripeApiBaseUrl: string;
  klarnaApiBaseUrl: string;
  adyenReportBaseUrl: string;
  requestTimeoutMs: number;
  maxReportBytes: number;
  pollLookbackDays: number;
}

/** One Adyen standard notification item (webhooks-v1-trimmed.json, NotificationRequestItem). */
interface AdyenItem {
  eventCode?: string;
  success?: string;
  pspReference?: string;
  originalReference?: string;
  merchantAccountCode?: string;
  merchantReference?: string;
  reason?: string;
  amount?: { value?: number; currency?: string };
  additionalData?: { hmacSignature?: string };
}

/**
 * Brings settlements in: report uploads and files, API polls (Stripe, Klarna) and Adyen report notifications. Each path
 * parses in the provider's own shape and hands the result to the {@link SettlementStore}, then wakes the matcher.
 */
export class IngestService {
  private readonly log = createLogger('payout-ingest');

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly store: SettlementStore,
    private readonly mappings: MappingsRepository,
    private readonly settings: IngestSettings,
    private readonly onIngested: () => void,
  ) {}

  /**
   * Parses and stores one report file. A bad header or unreadable CSV refuses the whole file (nothing stored); a bad
   * row is kept aside with its line and column, and its payout is held until a corrected file arrives.
   */
  async ingestReport(provider: string, fileName: string, bytes: Buffer, opts: { merchantAccount?: string; source: string }): Promise<IngestResult> {
    const text = bytes.toString('utf8');
    let parsed: ParsedSettlement;
    try {
      if (provider === 'stripe') {
        if (!opts.merchantAccount) throw new IngestRefusedError(400, 'REPORT_MERCHANT_ACCOUNT_MISSING', 'A Stripe itemized payout reconciliation report does not name its Stripe account: send ?merchantAccount=acct_… with the upload (or put the file under <report dir>/stripe/<acct_…>/).');
        parsed = parseStripeReport(text, opts.merchantAccount);
      } else if (provider === 'klarna') parsed = parseKlarnaReport(text);
      else if (provider === 'adyen') parsed = parseAdyenReport(text, fileName);
      else throw new IngestRefusedError(404, 'REPORT_PROVIDER_UNKNOWN', `"${provider}" is not a provider this service reads reports of; use stripe, klarna or adyen.`);
    } catch (err) {
      if (err instanceof ReportRefusedError) {
        reportsReceived.inc({ provider, outcome: 'refused' });
        throw new IngestRefusedError(422, err.code, `Report "${fileName}" refused: ${err.operatorMessage}`, { row: err.row, column: err.column });
      }
      throw err;
    }
    const result = await this.store.ingestFile(parsed, { name: fileName, bytes, source: opts.source });
    reportsReceived.inc({ provider, outcome: result.status === 'received' ? 'received' : 'already_received' });
    if (result.status === 'received') this.onIngested();
    return result;
  }

  /** Polls every mapped account of `provider` (Stripe, Klarna) that has credentials, or only `merchantAccount`. */
  async poll(provider: string, merchantAccount?: string): Promise<PollReport[]> {
    if (provider !== 'stripe' && provider !== 'klarna') throw new IngestRefusedError(400, 'POLL_PROVIDER_UNSUPPORTED', `${provider} has no settlements API to poll; ${provider === 'adyen' ? 'Adyen reports arrive by the REPORT_AVAILABLE notification (POST /webhooks/adyen) or upload' : 'use stripe or klarna'}.`);
    const mappings = (await this.mappings.list({ provider })).filter((m) => !merchantAccount || m.merchantAccount === merchantAccount);
    if (merchantAccount && mappings.length === 0) throw new IngestRefusedError(404, 'MAPPING_MISSING', `No mapping for ${provider} merchant account "${merchantAccount}"; add it with PUT /mappings/${provider}/${merchantAccount}.`);
    const reports: PollReport[] = [];
    for (const m of mappings) {
      try {
        reports.push(provider === 'stripe' ? await this.pollStripe(m) : await this.pollKlarna(m));
      } catch (err) {
        const message = (err as { operatorMessage?: string }).operatorMessage ?? (err as Error).message;
        this.log.warn({ provider, merchantAccount: m.merchantAccount }, message);
        reports.push({ provider, merchantAccount: m.merchantAccount, payoutsRead: 0, payoutsStored: 0, linesStored: 0, error: message });
      }
    }
    if (reports.some((r) => r.linesStored > 0)) this.onIngested();
    return reports;
  }

  private async knownWithAmount(provider: string, merchantAccount: string, payoutId: string): Promise<boolean> {
    const { rows } = await this.pool.query(`SELECT 1 FROM ${this.schema}.payouts WHERE provider = $1 AND merchant_account = $2 AND payout_id = $3 AND amount IS NOT NULL`, [provider, merchantAccount, payoutId]);
    return rows.length > 0;
  }

  private async pollStripe(m: ProviderMapping): Promise<PollReport> {
    if (!m.credentials.secretKey) throw new Error(`Mapping stripe/${m.merchantAccount} has no credentials.secretKey; add the Stripe secret (restricted) key to poll it.`);
    const auth = `Bearer ${m.credentials.secretKey}`;
    const base = this.settings.stripeApiBaseUrl;
    const since = Math.floor(Date.now() / 1000) - this.settings.pollLookbackDays * 86_400;
    const report: PollReport = { provider: 'stripe', merchantAccount: m.merchantAccount, payoutsRead: 0, payoutsStored: 0, linesStored: 0 };
    let after: string | null = null;
    for (;;) {
      // Stripe lists newest first; created[gte] bounds the listing to the lookback, and paging also stops at the
      // first older payout should a server ignore the filter.
      const url = `${base}/v1/payouts?limit=100&created%5Bgte%5D=${since}${after ? `&starting_after=${after}` : ''}`;
      const page: StripeList<StripePayout> = await providerGet('Stripe', url, auth, { timeoutMs: this.settings.requestTimeoutMs });
      let older = false;
      for (const payout of page.data) {
        if (typeof payout.created === 'number' && payout.created < since) {
          older = true;
          continue;
        }
        report.payoutsRead++;
        // Only automatic payouts are itemisable, and only once reconciliation completed (RECONCILIATION.md, payout).
        if (!payout.automatic || payout.status !== 'paid' || (payout.reconciliation_status && payout.reconciliation_status !== 'completed')) continue;
        if (await this.knownWithAmount('stripe', m.merchantAccount, payout.id)) continue;
        const txns: StripeBalanceTransaction[] = [];
        let txnAfter: string | null = null;
        for (;;) {
          const tUrl = `${base}/v1/balance_transactions?payout=${encodeURIComponent(payout.id)}&limit=100&expand[]=data.source${txnAfter ? `&starting_after=${txnAfter}` : ''}`;
          const tPage: StripeList<StripeBalanceTransaction> = await providerGet('Stripe', tUrl, auth, { timeoutMs: this.settings.requestTimeoutMs });
          txns.push(...tPage.data);
          if (!tPage.has_more || tPage.data.length === 0) break;
          txnAfter = tPage.data.at(-1)?.id ?? null;
        }
        const stored = await this.store.ingestApi(mapStripePayout(m.merchantAccount, payout, txns));
        report.payoutsStored++;
        report.linesStored += stored.linesStored;
      }
      if (older || !page.has_more || page.data.length === 0) break;
      after = page.data.at(-1)?.id ?? null;
    }
    return report;
  }

  private async pollKlarna(m: ProviderMapping): Promise<PollReport> {
    if (!m.credentials.username || !m.credentials.password) throw new Error(`Mapping klarna/${m.merchantAccount} has no credentials.username/password; add the Klarna API credentials to poll it.`);
    const auth = basicAuth(m.credentials.username, m.credentials.password);
    const base = `${this.settings.klarnaApiBaseUrl}/settlements/v1`;
    const start = new Date(Date.now() - this.settings.pollLookbackDays * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const end = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const report: PollReport = { provider: 'klarna', merchantAccount: m.merchantAccount, payoutsRead: 0, payoutsStored: 0, linesStored: 0 };
    for (let offset = 0; ; ) {
      const page: { payouts: KlarnaPayout[]; pagination: { total: number; count: number } } = await providerGet('Klarna', `${base}/payouts?start_date=${start}&end_date=${end}&size=100&offset=${offset}`, auth, { timeoutMs: this.settings.requestTimeoutMs });
      for (const payout of page.payouts) {
        report.payoutsRead++;
        if (payout.merchant_id !== m.merchantAccount) continue;
        if (await this.knownWithAmount('klarna', m.merchantAccount, payout.payment_reference)) continue;
        const txns: KlarnaTransaction[] = [];
        for (let tOffset = 0; ; ) {
          const tPage: { transactions: KlarnaTransaction[]; pagination: { total: number; count: number } } = await providerGet(
            'Klarna',
            `${base}/transactions?payment_reference=${encodeURIComponent(payout.payment_reference)}&size=500&offset=${tOffset}`,
            auth,
            { timeoutMs: this.settings.requestTimeoutMs },
          );
          txns.push(...tPage.transactions);
          tOffset += tPage.transactions.length;
          if (tPage.transactions.length === 0 || tOffset >= tPage.pagination.total) break;
        }
        const stored = await this.store.ingestApi(mapKlarnaPayout(payout, txns));
        report.payoutsStored++;
        report.linesStored += stored.linesStored;
      }
      offset += page.payouts.length;
      if (page.payouts.length === 0 || offset >= page.pagination.total) break;
    }
    return report;
  }

  /**
   * Handles an Adyen standard notification body: verifies each item's HMAC with the merchant account's key and, for
   * REPORT_AVAILABLE of a settlement details report, downloads the report (report-user basic auth) and ingests it.
   * Throws IngestRefusedError(401) when a signature does not verify, so Adyen retries once the key is configured.
   */
  async adyenNotification(body: unknown): Promise<{ accepted: number; downloads: Array<Promise<IngestResult | null>> }> {
    const items = ((body as { notificationItems?: Array<{ NotificationRequestItem?: AdyenItem }> })?.notificationItems ?? []).map((w) => w.NotificationRequestItem ?? {});
    if (items.length === 0) throw new IngestRefusedError(400, 'ADYEN_NOTIFICATION_MALFORMED', 'The body is not an Adyen notification: expected {"live": "...", "notificationItems": [{"NotificationRequestItem": {...}}]}.');
    const work: Array<{ item: AdyenItem; mapping: ProviderMapping }> = [];
    for (const item of items) {
      const account = item.merchantAccountCode ?? '';
      const mapping = await this.mappings.find('adyen', account, { fresh: true });
      if (!mapping?.credentials.hmacKey) {
        throw new IngestRefusedError(401, 'ADYEN_HMAC_KEY_MISSING', `No HMAC key for Adyen merchant account "${account}": add credentials.hmacKey to PUT /mappings/adyen/${account}. Adyen retries the notification.`);
      }
      if (!verifyAdyenHmac(item, mapping.credentials.hmacKey)) {
        throw new IngestRefusedError(401, 'ADYEN_HMAC_INVALID', `The HMAC signature of the Adyen notification for "${account}" (${item.eventCode} ${item.pspReference}) does not verify with the key of mapping adyen/${account}; check the key in the Adyen Customer Area.`);
      }
      if (item.eventCode === 'REPORT_AVAILABLE' && /^settlement_detail_report/.test(item.pspReference ?? '')) work.push({ item, mapping });
    }
    const downloads = work.map(({ item, mapping }) => this.downloadAdyenReport(item, mapping));
    return { accepted: items.length, downloads };
  }

  private async downloadAdyenReport(item: AdyenItem, mapping: ProviderMapping): Promise<IngestResult | null> {
    const url = item.reason ?? '';
    const allowed = this.settings.adyenReportBaseUrl;
    if (!url.startsWith(`${allowed}/`)) {
      this.log.error({ url: url.slice(0, 200) }, `Adyen report ${item.pspReference} points outside ${allowed} (ADYEN_REPORT_BASE_URL); not downloaded.`);
      return null;
    }
    if (!mapping.credentials.username || !mapping.credentials.password) {
      this.log.error({ merchantAccount: mapping.merchantAccount }, `Mapping adyen/${mapping.merchantAccount} has no report user credentials (credentials.username/password); report ${item.pspReference} was not downloaded.`);
      return null;
    }
    try {
      const csv: string = await providerGet('Adyen', url, basicAuth(mapping.credentials.username, mapping.credentials.password), { timeoutMs: this.settings.requestTimeoutMs, as: 'text', maxBytes: this.settings.maxReportBytes });
      return await this.ingestReport('adyen', item.pspReference ?? 'adyen-report.csv', Buffer.from(csv), { source: 'adyen-notification' });
    } catch (err) {
      this.log.error({ err, report: item.pspReference }, `Adyen report ${item.pspReference} could not be ingested: ${(err as { operatorMessage?: string }).operatorMessage ?? (err as Error).message}`);
      return null;
    }
  }
}

/**
 * Verifies an Adyen standard notification item: HMAC-SHA256 over
 * `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success` with the
 * hex-decoded key, base64 (Adyen "Verify HMAC signatures" for standard webhooks; the trimmed spec only carries
 * `additionalData.hmacSignature`, contracts/psp/adyen/SETTLEMENT.md).
 */
export function verifyAdyenHmac(item: AdyenItem, hexKey: string): boolean {
  const given = item.additionalData?.hmacSignature;
  if (!given) return false;
  const expected = adyenHmac(item, hexKey);
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The signature Adyen puts in `additionalData.hmacSignature` for `item`. */
export function adyenHmac(item: AdyenItem, hexKey: string): string {
  const fields = [item.pspReference, item.originalReference, item.merchantAccountCode, item.merchantReference, item.amount?.value, item.amount?.currency, item.eventCode, item.success];
  return createHmac('sha256', Buffer.from(hexKey, 'hex'))
    .update(fields.map((f) => (f === undefined || f === null ? '' : String(f))).join(':'))
    .digest('base64');
}
