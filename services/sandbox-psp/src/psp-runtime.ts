import { Decimal, isKnownCurrency, minorUnitsOf } from '@ledgerline/money';
import { createHash } from 'node:crypto';
import { AdyenBook, type AdyenPayoutData, type AdyenRow } from './adyen/adyen.book';
import * as adyen from './adyen/adyen.render';
import { ReportNotifier } from './adyen/report-notifier';
import { adyenPspReference, derivedUuid, stripeId, upperAlnum } from './common/ids';
import { Prng } from './common/prng';
import { RateLimiter, type RateLimit } from './common/rate-limiter';
import { adyenError, klarnaError, stripeError, type PspHttpError } from './http/psp-http.error';
import { KlarnaBook, type KlarnaPayoutData, type KlarnaTxn } from './klarna/klarna.book';
import * as klarna from './klarna/klarna.render';
import { PROVIDERS, type CaptureOrder, type CaptureResult, type CapturedPayment, type GroundTruth, type Provider, type PspFaults, type SettleMonthOptions } from './ledger/psp-types';
import { CONVERTIBLE_CURRENCIES } from './ledger/fx';
import { checkSettleOptions, groundTruth, monthEvents, settle, SettleOptionsError, type Payout, type ProviderBook } from './ledger/settlement-engine';
import { StripeBook, type StripePayoutData, type StripeTxn } from './stripe/stripe.book';
import * as stripe from './stripe/stripe.render';

export interface StripeCredentials {
  /** Secret key sent as `Authorization: Bearer <key>` (or as the Basic-auth user name). */
  secretKey: string;
}
export interface KlarnaCredentials {
  username: string;
  password: string;
}
export interface AdyenCredentials {
  /** Report user for downloads (Basic auth). */
  reportUsername: string;
  reportPassword: string;
  /** Hex HMAC key that signs notifications. */
  hmacKey: string;
}
export interface CredentialsByProvider {
  stripe: StripeCredentials;
  klarna: KlarnaCredentials;
  adyen: AdyenCredentials;
}

export interface PspRuntimeOptions {
  /** Per-provider limit in front of each face; null: none. */
  rateLimits: Record<Provider, RateLimit | null>;
  /** Adyen company account written in column 1 of the settlement details report. */
  adyenCompanyAccount: string;
}

type AnyPayout = Payout<StripeTxn, StripePayoutData> | Payout<KlarnaTxn, KlarnaPayoutData> | Payout<AdyenRow, AdyenPayoutData>;

/** Which merchant accounts a request's credentials see: all (provider-wide credentials) or one. */
export type Scope = { all: true } | { all: false; merchantAccount: string };

const sha = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

/**
 * The sandbox's state and behaviour, HTTP-free: captured payments, settled payouts per provider and merchant
 * account, credentials, rate limiters, faults. Controllers and the programmatic API both drive this.
 */
export class PspRuntime {
  /** Base URL of the HTTP server, set once it listens. */
  baseUrl = '';
  readonly limiters: Record<Provider, RateLimiter>;
  readonly notifier: ReportNotifier;
  private readonly payments = new Map<string, Map<string, CapturedPayment>>();
  private readonly payoutsByProvider: Record<Provider, AnyPayout[]> = { stripe: [], klarna: [], adyen: [] };
  private readonly settledMonths = new Set<string>();
  private readonly batchCounters = new Map<string, number>();
  private readonly faultsByProvider: Record<Provider, PspFaults> = { stripe: {}, klarna: {}, adyen: {} };
  private readonly knownAccounts: Record<Provider, Set<string>> = { stripe: new Set(), klarna: new Set(), adyen: new Set() };

  constructor(readonly options: PspRuntimeOptions) {
    this.limiters = { stripe: new RateLimiter(options.rateLimits.stripe), klarna: new RateLimiter(options.rateLimits.klarna), adyen: new RateLimiter(options.rateLimits.adyen) };
    this.notifier = new ReportNotifier(this.credentials('adyen').hmacKey);
  }

  faceUrl(provider: Provider): string {
    return `${this.baseUrl}/${provider}`;
  }

  /**
   * What a client sends. Without `merchantAccount`: provider-wide credentials that see every merchant
   * account (Stripe narrows with the `Stripe-Account` header). With it: credentials of that account only.
   */
  credentials<P extends Provider>(provider: P, merchantAccount?: string): CredentialsByProvider[P] {
    const who = merchantAccount ?? '*';
    const all: CredentialsByProvider = {
      stripe: { secretKey: `sk_test_${sha('stripe-key', who).slice(0, 40)}` },
      klarna: { username: merchantAccount ? `${merchantAccount}_${sha('klarna-user', who).slice(0, 8)}` : 'PK_sandbox_all_merchants', password: `klarna_${sha('klarna-password', who).slice(0, 32)}` },
      adyen: { reportUsername: merchantAccount ? `report_${merchantAccount}@Company.${this.options.adyenCompanyAccount}` : `report@Company.${this.options.adyenCompanyAccount}`, reportPassword: sha('adyen-report', who).slice(0, 24), hmacKey: sha('adyen-hmac').toUpperCase() },
    };
    return all[provider];
  }

  setFaults(provider: Provider, faults: PspFaults): void {
    if (!PROVIDERS.includes(provider)) throw new Error(`faults: unknown provider ${JSON.stringify(provider)}; use stripe, klarna or adyen`);
    if (provider === 'stripe' && faults.unknownMerchantAccountRow) {
      throw new Error('faults: unknownMerchantAccountRow needs a merchant-account column, which the Stripe itemized reconciliation report does not have; use it with klarna or adyen');
    }
    this.faultsByProvider[provider] = { ...faults };
  }

  faults(provider: Provider): PspFaults {
    return this.faultsByProvider[provider];
  }

  // ---- capture --------------------------------------------------------------------------------

  capture(provider: Provider, merchantAccount: string, orders: readonly CaptureOrder[]): CaptureResult[] {
    if (!PROVIDERS.includes(provider)) throw new Error(`capture: unknown provider ${JSON.stringify(provider)}; use stripe, klarna or adyen`);
    if (typeof merchantAccount !== 'string' || !/^[A-Za-z0-9_.-]{1,80}$/.test(merchantAccount)) {
      throw new Error(`capture: merchantAccount ${JSON.stringify(merchantAccount)} must be 1-80 letters, digits, "_", "." or "-"`);
    }
    const problems: string[] = [];
    orders.forEach((o, i) => problems.push(...checkOrder(o, i)));
    if (problems.length > 0) throw new Error(`capture: ${problems.length} order(s) cannot be captured; fix them and call again (nothing was captured):\n- ${problems.slice(0, 20).join('\n- ')}`);
    const book = this.paymentsOf(provider, merchantAccount);
    const fresh = new Map<string, CapturedPayment>();
    for (const o of orders) {
      const total = Decimal.of(o.total);
      const earlier = book.get(o.orderId) ?? fresh.get(o.orderId);
      if (earlier) {
        if (!earlier.total.eq(total) || earlier.currency !== o.currency) {
          throw new Error(`capture: order ${o.orderId} (#${o.orderNumber}) was already captured at ${provider} for ${earlier.total.toString()} ${earlier.currency}; a second capture of ${o.total} ${o.currency} is refused (nothing was captured)`);
        }
        continue;
      }
      fresh.set(o.orderId, this.newPayment(provider, merchantAccount, o, total));
    }
    for (const [id, p] of fresh) book.set(id, p);
    this.knownAccounts[provider].add(merchantAccount);
    return orders.map((o) => ({ orderId: o.orderId, transactionId: (book.get(o.orderId) as CapturedPayment).transactionId }));
  }

  private newPayment(provider: Provider, merchantAccount: string, o: CaptureOrder, total: Decimal): CapturedPayment {
    const random = Prng.from('payment', provider, merchantAccount, o.orderId);
    const base = { provider, merchantAccount, orderId: o.orderId, orderNumber: o.orderNumber, total, currency: o.currency, paidAt: new Date(o.paidAt) };
    switch (provider) {
      case 'stripe':
        // The WooCommerce Stripe gateway stores the charge id as transaction_id and the intent as _stripe_intent_id (RECONCILIATION.md).
        return { ...base, transactionId: stripeId('ch_3', merchantAccount, o.orderId), secondaryId: stripeId('pi_3', merchantAccount, o.orderId), paymentMethod: 'card' };
      case 'klarna':
        return { ...base, transactionId: derivedUuid('klarna-order', merchantAccount, o.orderId), secondaryId: upperAlnum(7, 'klarna-short', merchantAccount, o.orderId), paymentMethod: random.weighted([['invoice', 55], ['pix', 25], ['slice_it', 10], ['direct_debit', 10]] as const) };
      case 'adyen': {
        const [method, variant] = random.weighted([[['visa', 'visaclassic'], 40], [['visa', 'visadebit'], 20], [['mc', 'mccredit'], 20], [['mc', 'mcdebit'], 10], [['amex', 'amex'], 10]] as const);
        return { ...base, transactionId: adyenPspReference('adyen-payment', merchantAccount, o.orderId), secondaryId: variant, paymentMethod: method };
      }
    }
  }

  private paymentsOf(provider: Provider, merchantAccount: string): Map<string, CapturedPayment> {
    const key = `${provider}|${merchantAccount}`;
    let m = this.payments.get(key);
    if (!m) this.payments.set(key, (m = new Map()));
    return m;
  }

  // ---- settlement -----------------------------------------------------------------------------

  settleMonth(provider: Provider, merchantAccount: string, o: SettleMonthOptions): GroundTruth {
    if (!PROVIDERS.includes(provider)) throw new SettleOptionsError(`settleMonth: unknown provider ${JSON.stringify(provider)}; use stripe, klarna or adyen`);
    const monthKey = `${provider}|${merchantAccount}|${o?.month}`;
    if (this.settledMonths.has(monthKey)) throw new SettleOptionsError(`settleMonth: ${o.month} is already settled for ${provider} merchant account ${merchantAccount}; start a new sandbox to settle it again with other options`);
    const payments = [...this.paymentsOf(provider, merchantAccount).values()].filter((p) => p.paidAt.toISOString().slice(0, 7) === o?.month);
    checkSettleOptions(o, payments.length);
    if (payments.length === 0) throw new SettleOptionsError(`settleMonth: no payments captured at ${provider} for merchant account ${merchantAccount} with paidAt in ${o.month}; call capture() first`);
    const unconvertible = [...new Set(payments.map((p) => o.settlementCurrency ?? p.currency))].filter((c) => !CONVERTIBLE_CURRENCIES.includes(c));
    const foreign = o.settlementCurrency ? [...new Set(payments.map((p) => p.currency))].filter((c) => !CONVERTIBLE_CURRENCIES.includes(c)) : [];
    if (unconvertible.length + foreign.length > 0) {
      throw new SettleOptionsError(`settleMonth: the sandbox has fees and exchange rates for ${CONVERTIBLE_CURRENCIES.join(', ')} only; orders in ${[...new Set([...unconvertible, ...foreign])].join(', ')} cannot be settled`);
    }
    const events = monthEvents(payments, o, provider !== 'stripe');
    let payouts: AnyPayout[];
    switch (provider) {
      case 'stripe':
        payouts = settle(new StripeBook(merchantAccount, o.month, o.seed), events, o);
        break;
      case 'klarna':
        payouts = settle(new KlarnaBook(merchantAccount, o.month, o.seed), events, o);
        break;
      case 'adyen':
        payouts = settle(new AdyenBook(merchantAccount, o.month, o.seed, () => this.nextBatch(merchantAccount)) as ProviderBook<AdyenRow, AdyenPayoutData>, events, o);
        break;
    }
    this.settledMonths.add(monthKey);
    this.payoutsByProvider[provider].push(...payouts);
    if (provider === 'adyen') for (const p of payouts) this.announce(p as adyen.AdyenPayout);
    return { payouts: payouts.map((p) => groundTruth<unknown, unknown>(p)) };
  }

  private nextBatch(merchantAccount: string): number {
    const n = (this.batchCounters.get(merchantAccount) ?? 0) + 1;
    this.batchCounters.set(merchantAccount, n);
    return n;
  }

  /** Posts REPORT_AVAILABLE for a batch's report (twice under the duplicateReport fault). */
  announce(p: adyen.AdyenPayout): void {
    const fileName = adyen.reportFileName(p.data.batchNumber);
    const url = `${this.faceUrl('adyen')}/reports/download/${p.merchantAccount}/${fileName}`;
    const times = this.faultsByProvider.adyen.duplicateReport ? 2 : 1;
    for (let i = 0; i < times; i++) this.notifier.send(p.merchantAccount, fileName, url, p.currency, p.data.payoutRow.at);
  }

  payouts(provider: 'stripe', scope: Scope): stripe.StripePayout[];
  payouts(provider: 'klarna', scope: Scope): klarna.KlarnaPayout[];
  payouts(provider: 'adyen', scope: Scope): adyen.AdyenPayout[];
  payouts(provider: Provider, scope: Scope): AnyPayout[] {
    return this.payoutsByProvider[provider].filter((p) => scope.all || p.merchantAccount === scope.merchantAccount);
  }

  // ---- reports ----------------------------------------------------------------------------------

  /** The report file of one payout, byte for byte what the HTTP face serves (faults applied). */
  reportCsv(provider: Provider, merchantAccount: string, payoutId: string): string {
    const scope: Scope = { all: false, merchantAccount };
    const f = this.faultsByProvider[provider] ?? {};
    switch (provider) {
      case 'stripe': {
        const p = this.payouts('stripe', scope).find((x) => x.payoutId === payoutId);
        if (!p) throw new Error(`reportCsv: no Stripe payout ${payoutId} for merchant account ${merchantAccount}`);
        return stripe.reportCsv(p, withFaults(stripe.reportRows(p), f, 6, null));
      }
      case 'klarna': {
        const p = this.payouts('klarna', scope).find((x) => x.payoutId === payoutId);
        if (!p) throw new Error(`reportCsv: no Klarna payout with payment_reference ${payoutId} for merchant ${merchantAccount}`);
        return klarna.reportCsv(withFaults(klarna.reportRows(p), f, 5, 0));
      }
      case 'adyen': {
        const p = this.payouts('adyen', scope).find((x) => x.payoutId === payoutId);
        if (!p) throw new Error(`reportCsv: no Adyen batch ${payoutId} for merchant account ${merchantAccount}`);
        const rows = adyen.reportRows(p, this.options.adyenCompanyAccount);
        // The MerchantPayout row stays last; injected rows go before it.
        const payoutRow = rows.pop() as string[];
        return adyen.reportCsv([...withFaults(rows, f, 11, 1), payoutRow]);
      }
      default:
        throw new Error(`reportCsv: unknown provider ${JSON.stringify(provider)}; use stripe, klarna or adyen`);
    }
  }

  // ---- HTTP gate ----------------------------------------------------------------------------------

  /**
   * Counts the request against the provider's rate limit and authenticates it; returns the merchant
   * accounts the credentials see, or throws the provider's own 429/401 error.
   */
  gate(provider: Provider, headers: Record<string, string | string[] | undefined>): Scope {
    const decision = this.limiters[provider].take();
    if (!decision.allowed) throw tooMany(provider, decision.retryAfterS);
    const auth = String(headers.authorization ?? '');
    if (provider === 'stripe') {
      const key = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? basicUser(auth);
      if (!key) throw stripeError(401, "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
      const scope = this.scopeFor('stripe', (a) => this.credentials('stripe', a).secretKey === key);
      if (!scope) throw stripeError(401, `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`);
      const account = headers['stripe-account'];
      if (typeof account === 'string' && account !== '') {
        if (!scope.all && scope.merchantAccount !== account) throw stripeError(403, `The provided key does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`, { code: 'account_invalid' });
        return { all: false, merchantAccount: account };
      }
      return scope;
    }
    const basic = parseBasic(auth);
    if (provider === 'klarna') {
      const scope = basic && this.scopeFor('klarna', (a) => { const c = this.credentials('klarna', a); return c.username === basic.user && c.password === basic.password; });
      if (!scope) throw klarnaError(401, 'UNAUTHORIZED', ['Bad credentials: send the API username and password of the merchant with HTTP basic auth']);
      return scope;
    }
    const scope = basic && this.scopeFor('adyen', (a) => { const c = this.credentials('adyen', a); return c.reportUsername === basic.user && c.reportPassword === basic.password; });
    if (!scope) throw adyenError(401, '000', 'HTTP Status Response - Unauthorized', 'security', { 'www-authenticate': 'Basic realm="Adyen"' });
    return scope;
  }

  private scopeFor(provider: Provider, matches: (account: string | undefined) => boolean): Scope | null {
    if (matches(undefined)) return { all: true };
    for (const a of this.knownAccounts[provider]) if (matches(a)) return { all: false, merchantAccount: a };
    return null;
  }
}

function tooMany(provider: Provider, retryAfterS: number): PspHttpError {
  const headers = { 'retry-after': String(retryAfterS) };
  if (provider === 'stripe') return stripeError(429, 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.', { code: 'rate_limit' }, headers);
  if (provider === 'klarna') return klarnaError(429, 'TOO_MANY_REQUESTS', ['Rate limit exceeded; retry after the Retry-After delay'], headers);
  return adyenError(429, '000', 'Too many requests', 'validation', headers);
}

function basicUser(auth: string): string | null {
  return parseBasic(auth)?.user ?? null;
}

function parseBasic(auth: string): { user: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(auth);
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? { user: text, password: '' } : { user: text.slice(0, i), password: text.slice(i + 1) };
}

/**
 * Applies report faults to CSV rows: duplicates, one malformed row (`amountColumn` not a number, last column
 * missing), one row of an unknown merchant account (`accountColumn`).
 */
function withFaults(rows: string[][], f: PspFaults, amountColumn: number, accountColumn: number | null): string[][] {
  let out = rows;
  if (f.duplicateReport) out = out.flatMap((r) => [r, r]);
  const template = rows.find((r) => r[amountColumn] !== '') ?? rows[0];
  if (f.malformedRow && template) {
    const bad = [...template];
    bad[amountColumn] = '12,3O';
    out = [...out, bad.slice(0, -1)];
  }
  if (f.unknownMerchantAccountRow && template && accountColumn !== null) {
    const stranger = [...template];
    stranger[accountColumn] = 'UnknownMerchantAccount_404';
    out = [...out, stranger];
  }
  return out;
}

function checkOrder(o: CaptureOrder, i: number): string[] {
  const who = `order[${i}] ${o && typeof o.orderId === 'string' ? `id ${o.orderId}` : ''}`.trim();
  if (!o || typeof o !== 'object') return [`${who}: expected an object { orderId, orderNumber, total, currency, paidAt }`];
  const problems: string[] = [];
  if (typeof o.orderId !== 'string' || o.orderId === '') problems.push(`${who}: orderId must be a non-empty string (the WooCommerce order ID)`);
  if (typeof o.orderNumber !== 'string' || o.orderNumber === '') problems.push(`${who}: orderNumber must be a non-empty string (the WooCommerce order number)`);
  if (typeof o.currency !== 'string' || !isKnownCurrency(o.currency)) problems.push(`${who}: currency ${JSON.stringify(o.currency)} is not an ISO 4217 code with a minor unit, like EUR or SEK`);
  else if (typeof o.total !== 'string' || !/^\d+(\.\d+)?$/.test(o.total) || (o.total.split('.')[1] ?? '').length > minorUnitsOf(o.currency) || Decimal.of(o.total).isZero()) {
    problems.push(`${who}: total ${JSON.stringify(o.total)} must be a positive decimal string with at most ${minorUnitsOf(o.currency)} fraction digits for ${o.currency}, like "129.90"`);
  }
  if (typeof o.paidAt !== 'string' || Number.isNaN(Date.parse(o.paidAt))) problems.push(`${who}: paidAt ${JSON.stringify(o.paidAt)} must be an ISO 8601 instant like "2026-10-03T09:14:02Z" (date_paid_gmt)`);
  return problems;
}
