import { timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord } from '../store/woo-records';
import type { WooStoreState } from '../store/woo-store.state';
import type { PhpValue } from '../wp/php-query.parser';
import { phpUrlDecode } from '../wp/php-query.parser';
import { WpError } from '../wp/wp-error';
import { expectedOAuthSignature } from './oauth1-signature';

/** What authentication concluded for one request. */
export interface AuthResult {
  /** The API key's user, or null when the request carried no usable credentials. */
  user: ApiKeyRecord | null;
  /** An error WooCommerce returns from `rest_authentication_errors`, before any route runs. */
  error: WpError | null;
  /** Set when credentials were ignored, to explain a 401 in a sandbox-only header. */
  hint?: string;
}

/** The parts of a request authentication looks at. */
export interface AuthRequest {
  method: string;
  /** Raw path as sent, e.g. `/wp-json/wc/v3/orders`. */
  path: string;
  query: Record<string, PhpValue>;
  /** Form-encoded body params (`$_POST`); empty for JSON bodies. */
  form: Record<string, PhpValue>;
  authorization: string | undefined;
}

const OAUTH_PARAMS = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
/** `check_oauth_timestamp_and_nonce`: a 15-minute window either side of the server clock. */
const OAUTH_WINDOW_S = 15 * 60;

/**
 * Authenticates a request as `WC_REST_Authentication` does. With `is_ssl()` true it tries HTTP
 * Basic (or `consumer_key`/`consumer_secret` in the query string) first; over plain HTTP only
 * OAuth 1.0a one-legged is accepted (NOTES-rest-api.md, "Authentication", read 2026-11-26). A request without any
 * credentials is not an error here: the route's permission check answers 401 later.
 */
export class WooAuthenticator {
  constructor(
    private readonly state: WooStoreState,
    /** Wall clock for the OAuth window; the official client signs with real time even when the store's clock is faked. */
    private readonly wallClockSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  authenticate(req: AuthRequest): AuthResult {
    let error: WpError | null = null;
    if (this.state.settings.isSsl) {
      const basic = this.basic(req);
      if (basic.user) return this.withPermissions(basic.user, req.method);
      error = basic.error;
    }
    const oauth = this.oauth(req);
    if (oauth.user) return this.withPermissions(oauth.user, req.method);
    const hint =
      !this.state.settings.isSsl && (req.authorization?.startsWith('Basic ') || req.query['consumer_key'] !== undefined)
        ? 'WooCommerce ignores HTTP Basic and consumer_key/consumer_secret over plain HTTP (is_ssl() is false); sign with OAuth 1.0a, or start the sandbox with assumeHttps.'
        : undefined;
    return { user: null, error: oauth.error ?? error, hint };
  }

  private basic(req: AuthRequest): { user: ApiKeyRecord | null; error: WpError | null } {
    let key = '';
    let secret = '';
    const qk = req.query['consumer_key'];
    const qs = req.query['consumer_secret'];
    if (typeof qk === 'string' && qk !== '' && typeof qs === 'string' && qs !== '') {
      key = qk;
      secret = qs;
    } else if (req.authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(req.authorization.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        key = decoded.slice(0, colon);
        secret = decoded.slice(colon + 1);
      }
    }
    if (key === '' || secret === '') return { user: null, error: null };
    // An unknown key is not an error in perform_basic_authentication: the request just stays anonymous.
    const user = this.state.apiKeys.get(key);
    if (!user) return { user: null, error: null };
    if (!safeEqual(user.consumerSecret, secret)) return { user: null, error: authError('Consumer secret is invalid.') };
    return { user, error: null };
  }

  private oauth(req: AuthRequest): { user: ApiKeyRecord | null; error: WpError | null } {
    const params: Record<string, PhpValue> = { ...req.query, ...req.form, ...parseOAuthHeader(req.authorization) };
    const present = OAUTH_PARAMS.filter((p) => typeof params[p] === 'string' && params[p] !== '');
    if (present.length === 0) return { user: null, error: null };
    const missing = OAUTH_PARAMS.filter((p) => !present.includes(p));
    if (missing.length > 0) {
      const message = `${missing.length === 1 ? 'Missing OAuth parameter' : 'Missing OAuth parameters'} ${missing.join(', ')}`;
      return { user: null, error: new WpError(401, 'woocommerce_rest_authentication_missing_parameter', message) };
    }
    const user = this.state.apiKeys.get(params['oauth_consumer_key'] as string);
    if (!user) return { user: null, error: authError('Consumer key is invalid.') };

    const method = params['oauth_signature_method'] as string;
    const algorithm = method === 'HMAC-SHA1' ? 'sha1' : method === 'HMAC-SHA256' ? 'sha256' : null;
    if (!algorithm) return { user: null, error: authError('Invalid signature - signature method is invalid.') };
    const given = phpRawUrlDecode((params['oauth_signature'] as string).replace(/ /g, '+'));
    const signed = this.baseUrls(req.path).some((baseUrl) => safeEqual(expectedOAuthSignature({ method: req.method, baseUrl, params, consumerSecret: user.consumerSecret, algorithm }), given));
    if (!signed) return { user: null, error: authError('Invalid signature - provided signature does not match.') };

    const timestamp = Number(params['oauth_timestamp']);
    const now = this.wallClockSeconds();
    if (!Number.isFinite(timestamp) || timestamp < now - OAUTH_WINDOW_S || timestamp > now + OAUTH_WINDOW_S) return { user: null, error: authError('Invalid timestamp.') };
    const nonce = params['oauth_nonce'] as string;
    if ([...user.nonces.values()].includes(nonce)) return { user: null, error: authError('Invalid nonce - nonce has already been used.') };
    // WooCommerce stores used nonces keyed by timestamp, so only the last nonce of each second is
    // remembered; kept as is because a client reusing nonces within a second gets the same result.
    user.nonces.set(Math.trunc(timestamp), nonce);
    for (const ts of user.nonces.keys()) if (ts < now - OAUTH_WINDOW_S) user.nonces.delete(ts);
    return { user, error: null };
  }

  /**
   * `get_home_url(null, $path, is_ssl() ? 'https' : 'http')`: the URL the client must have signed.
   * With `assumeHttps` the http form is accepted too (a sandbox-only leniency): the client cannot
   * reach the sandbox over TLS, so it can only sign the http URL it really calls.
   */
  private baseUrls(path: string): string[] {
    const home = new URL(this.state.settings.siteUrl);
    return this.state.settings.isSsl ? [`https://${home.host}${path}`, `http://${home.host}${path}`] : [`http://${home.host}${path}`];
  }

  /** `check_permissions`: read keys may only GET/HEAD, write keys only change. */
  private withPermissions(user: ApiKeyRecord, method: string): AuthResult {
    const m = method.toUpperCase();
    if ((m === 'GET' || m === 'HEAD') && user.permissions === 'write') return { user: null, error: authError('The API key provided does not have read permissions.') };
    if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(m) && user.permissions === 'read') return { user: null, error: authError('The API key provided does not have write permissions.') };
    return { user, error: null };
  }
}

/** `WC_REST_Authentication::parse_header`: `oauth_*` pairs from `Authorization: OAuth ...`, urldecoded. */
function parseOAuthHeader(header: string | undefined): Record<string, string> {
  if (!header || !header.startsWith('OAuth ')) return {};
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/(oauth_[a-z_-]*)=(?:"([^"]*)"|([^,]*))/g)) out[m[1]] = phpUrlDecode(m[2] ?? m[3] ?? '');
  return out;
}

function phpRawUrlDecode(s: string): string {
  return phpUrlDecode(s.replace(/\+/g, '%2B'));
}

function authError(message: string): WpError {
  return new WpError(401, 'woocommerce_rest_authentication_error', message);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
