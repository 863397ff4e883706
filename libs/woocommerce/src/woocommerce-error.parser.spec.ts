import { classifyWooTransportError, parseRetryAfter, parseWooErrorResponse, parseWooItemError, type WooCall } from './woocommerce-error.parser';
import { WooApiError } from './woocommerce.error';

const call: WooCall = { siteUrl: 'https://shop.example', method: 'GET', endpoint: '/orders/{id}', activity: 'reading order 727' };

/** A WordPress error answer as WooCommerce sends it. */
function wp(status: number, code: string, message: string, data: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return parseWooErrorResponse(call, { status, headers: new Headers(headers), body: JSON.stringify({ code, message, data: { status, ...data } }) });
}

function html(status: number, page: string, headers: Record<string, string> = {}) {
  return parseWooErrorResponse(call, { status, headers: new Headers({ 'content-type': 'text/html', ...headers }), body: page });
}

describe('parseWooErrorResponse', () => {
  describe('authentication (woocommerce_rest_authentication_error and guest answers)', () => {
    it('classifies an unknown key as WOO_AUTH_REJECTED, permanent, telling the operator which key to create', () => {
      const err = wp(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
      expect(err).toBeInstanceOf(WooApiError);
      expect(err).toMatchObject({ code: 'WOO_AUTH_REJECTED', kind: 'permanent', status: 401, wooCode: 'woocommerce_rest_authentication_error', wooMessage: 'Consumer key is invalid.' });
      expect(err.operatorMessage).toBe(
        'WooCommerce at https://shop.example rejected the API key (woocommerce_rest_authentication_error: Consumer key is invalid.) while reading order 727: create a Read/Write key under WooCommerce › Settings › Advanced › REST API and update the store in Ledgerline.',
      );
      expect(err.context).toMatchObject({ siteUrl: 'https://shop.example', method: 'GET', endpoint: '/orders/{id}', status: 401 });
    });

    it('points a signature mismatch at the site URL, a stale timestamp at the clocks, and a read-only key at its permissions', () => {
      expect(wp(401, 'woocommerce_rest_authentication_error', 'Invalid signature - provided signature does not match.').operatorMessage).toContain('must be exactly the WordPress Site Address');
      expect(wp(401, 'woocommerce_rest_authentication_error', 'Invalid timestamp.').operatorMessage).toContain('clocks of the store and Ledgerline differ by more than 15 minutes');
      const readOnly = wp(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have write permissions.');
      expect(readOnly).toMatchObject({ code: 'WOO_AUTH_REJECTED', kind: 'permanent' });
      expect(readOnly.operatorMessage).toContain('the key lacks write permission; create a Read/Write key');
      expect(wp(401, 'woocommerce_rest_authentication_missing_parameter', 'Missing OAuth parameter oauth_nonce').code).toBe('WOO_AUTH_REJECTED');
    });

    it('treats a reused nonce as a defect, since every attempt is signed anew', () => {
      expect(wp(401, 'woocommerce_rest_authentication_error', 'Invalid nonce - nonce has already been used.')).toMatchObject({ code: 'WOO_AUTH_REJECTED', kind: 'defect' });
    });

    it('explains a guest answer (credentials ignored, e.g. Basic over plain http) as WOO_AUTH_REJECTED', () => {
      const err = wp(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
      expect(err).toMatchObject({ code: 'WOO_AUTH_REJECTED', kind: 'permanent' });
      expect(err.operatorMessage).toContain('treated the request as a guest (woocommerce_rest_cannot_view: Sorry, you cannot list resources.)');
    });

    it('separates a user without the capability (403 JSON) from a firewall page (403 HTML)', () => {
      expect(wp(403, 'woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.')).toMatchObject({ code: 'WOO_PERMISSION_DENIED', kind: 'permanent' });
      const blocked = html(403, '<html><head><title>Attention Required! | Cloudflare</title></head><body>blocked</body></html>');
      expect(blocked).toMatchObject({ code: 'WOO_BLOCKED', kind: 'permanent' });
      expect(blocked.operatorMessage).toContain('(HTTP 403, "Attention Required! | Cloudflare")');
    });
  });

  describe('missing things', () => {
    it('reports a missing route (WooCommerce off, plain permalinks) as WOO_API_NOT_FOUND', () => {
      expect(wp(404, 'rest_no_route', 'No route was found matching the URL and request method.')).toMatchObject({ code: 'WOO_API_NOT_FOUND', kind: 'permanent' });
      expect(html(404, '<html><title>Page not found</title></html>').code).toBe('WOO_API_NOT_FOUND');
    });

    it('reports invalid ids on read (404), on update (400) and trashed objects (410) as WOO_NOT_FOUND', () => {
      expect(wp(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.')).toMatchObject({ code: 'WOO_NOT_FOUND', kind: 'permanent' });
      expect(wp(400, 'woocommerce_rest_product_invalid_id', 'Invalid ID.').code).toBe('WOO_NOT_FOUND');
      expect(wp(404, 'woocommerce_rest_invalid_order_id', 'Invalid order ID.').code).toBe('WOO_NOT_FOUND');
      expect(wp(410, 'woocommerce_rest_already_trashed', 'The shop_order has already been deleted.').code).toBe('WOO_NOT_FOUND');
    });
  });

  describe('refused data', () => {
    it('lists the refused parameters of rest_invalid_param and rest_missing_callback_param', () => {
      const invalid = wp(400, 'rest_invalid_param', 'Invalid parameter(s): per_page', { params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } });
      expect(invalid).toMatchObject({ code: 'WOO_REQUEST_INVALID', kind: 'permanent' });
      expect(invalid.operatorMessage).toContain('per_page: per_page must be between 1 (inclusive) and 100 (inclusive).');
      expect(invalid.context['params']).toEqual({ per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' });
      expect(wp(400, 'rest_missing_callback_param', 'Missing parameter(s): topic', { params: ['topic'] }).operatorMessage).toContain('topic: missing');
    });

    it('classifies a duplicate SKU and a registered e-mail as WOO_CONFLICT, without the HTML of the message', () => {
      const sku = wp(400, 'product_invalid_sku', 'Invalid or duplicated SKU.', { resource_id: 101, unique_sku: 'TS-ORG-001-1' });
      expect(sku).toMatchObject({ code: 'WOO_CONFLICT', kind: 'permanent' });
      expect(sku.operatorMessage).toContain('(already used by id 101)');
      const email = wp(400, 'registration-error-email-exists', 'An account is already registered with your email address. <a href="#" class="showlogin">Please log in.</a>');
      expect(email).toMatchObject({ code: 'WOO_CONFLICT', wooMessage: 'An account is already registered with your email address. Please log in.' });
    });

    it('reads the store limit from a 413 batch refusal', () => {
      const err = wp(413, 'woocommerce_rest_request_entity_too_large', 'Unable to accept more than 50 items for this request.');
      expect(err).toMatchObject({ code: 'WOO_BATCH_TOO_LARGE', kind: 'permanent' });
      expect(err.context['limit']).toBe(50);
      expect(err.operatorMessage).toContain('lower the store\'s batch size in Ledgerline to 50');
    });

    it('takes the 500 "Invalid refund amount." and a 501 trash refusal for bad requests, not outages', () => {
      expect(wp(500, 'woocommerce_rest_cannot_create_order_refund', 'Invalid refund amount.')).toMatchObject({ code: 'WOO_REQUEST_INVALID', kind: 'permanent' });
      expect(wp(501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.')).toMatchObject({ code: 'WOO_REQUEST_INVALID', kind: 'permanent' });
    });
  });

  describe('overload and outages', () => {
    it('classifies 429 as transient WOO_RATE_LIMITED with the Retry-After delay', () => {
      const err = wp(429, 'rate_limit_exceeded', 'Too many requests. Please wait 7 seconds before trying again.', {}, { 'retry-after': '7' });
      expect(err).toMatchObject({ code: 'WOO_RATE_LIMITED', kind: 'transient', retryAfterMs: 7000 });
      expect(err.operatorMessage).toContain('is rate limiting Ledgerline (rate_limit_exceeded: Too many requests. Please wait 7 seconds before trying again.; asked to wait 7 s)');
    });

    it('classifies WordPress critical errors, proxy pages and the maintenance page as transient WOO_UNAVAILABLE', () => {
      const critical = wp(500, 'internal_server_error', '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>');
      expect(critical).toMatchObject({ code: 'WOO_UNAVAILABLE', kind: 'transient', wooMessage: 'There has been a critical error on this website.Learn more about troubleshooting WordPress.' });
      expect(html(502, '<html>\r\n<head><title>502 Bad Gateway</title></head></html>').operatorMessage).toContain('is unavailable (HTTP 502, "502 Bad Gateway")');
      const maintenance = html(503, '<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>Briefly unavailable for scheduled maintenance. Check back in a minute.</h1></body></html>', { 'retry-after': '600' });
      expect(maintenance).toMatchObject({ code: 'WOO_UNAVAILABLE', kind: 'transient', retryAfterMs: 600_000 });
    });
  });

  it('reports a redirect with its target, credentials removed, as WOO_SITE_REDIRECTED', () => {
    const err = parseWooErrorResponse(call, { status: 301, headers: new Headers({ location: 'https://www.shop.example/wp-json/wc/v3/orders/727?consumer_key=ck_1&consumer_secret=cs_2' }), body: '' });
    expect(err).toMatchObject({ code: 'WOO_SITE_REDIRECTED', kind: 'permanent' });
    expect(err.operatorMessage).toContain('https://www.shop.example/wp-json/wc/v3/orders/727?consumer_key=…&consumer_secret=…');
    expect(err.operatorMessage).not.toContain('cs_2');
  });

  it('reports a 200 with PHP notices in front of the JSON as WOO_RESPONSE_INVALID', () => {
    const err = parseWooErrorResponse(call, { status: 200, headers: new Headers(), body: '<br />\n<b>Deprecated</b>: Creation of dynamic property in <b>/var/www/x.php</b><br />\n{"id":727}' });
    expect(err).toMatchObject({ code: 'WOO_RESPONSE_INVALID', kind: 'permanent' });
    expect(err.operatorMessage).toContain('turn off WP_DEBUG_DISPLAY');
  });
});

describe('parseWooItemError', () => {
  it('classifies a failed batch item by its own status and code', () => {
    const err = parseWooItemError({ ...call, method: 'POST', endpoint: '/products/batch', activity: 'updating product 99999 in a batch' }, { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 400 } });
    expect(err).toMatchObject({ code: 'WOO_NOT_FOUND', kind: 'permanent', status: 400 });
    expect(err.operatorMessage).toContain('while updating product 99999 in a batch');
  });
});

describe('classifyWooTransportError', () => {
  const failed = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

  it('knows a refused connection was never sent and a reset one may have been', () => {
    expect(classifyWooTransportError(call, failed('ECONNREFUSED'), false)).toMatchObject({ sent: false, error: { code: 'WOO_UNREACHABLE', kind: 'transient' } });
    expect(classifyWooTransportError(call, failed('ECONNRESET'), false)).toMatchObject({ sent: true, error: { code: 'WOO_UNREACHABLE', kind: 'transient' } });
  });

  it('classifies a timeout as transient WOO_TIMEOUT and a bad certificate as permanent WOO_TLS_FAILED', () => {
    expect(classifyWooTransportError(call, new DOMException('The operation was aborted due to timeout', 'TimeoutError'), true).error).toMatchObject({ code: 'WOO_TIMEOUT', kind: 'transient' });
    const tls = classifyWooTransportError(call, failed('CERT_HAS_EXPIRED'), false).error;
    expect(tls).toMatchObject({ code: 'WOO_TLS_FAILED', kind: 'permanent' });
    expect(tls.operatorMessage).toContain('renew or fix the certificate chain');
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates and ignores anything else', () => {
    expect(parseRetryAfter('30')).toBe(30_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:10 GMT', Date.parse('2026-11-26T12:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
