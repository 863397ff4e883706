import { criticalError, WpError } from '../wp/wp-error';
import { wpJsonEncode } from '../wp/wp-json.encoder';
import type { SandboxRequest, SandboxResponse } from './sandbox-request';

/** Headers WordPress's REST server sends with every JSON answer. */
const WP_HEADERS: Record<string, string> = {
  'Content-Type': 'application/json; charset=UTF-8',
  'X-Robots-Tag': 'noindex',
  'X-Content-Type-Options': 'nosniff',
  'Access-Control-Expose-Headers': 'X-WP-Total, X-WP-TotalPages, Link',
  'Access-Control-Allow-Headers': 'Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type',
};

/**
 * Sends a REST answer the way WordPress does: JSON encoded like `wp_json_encode`, `_fields`
 * applied, WordPress's headers. When a fault asked for a failure after handling, the failure goes
 * out instead (the change has happened; the client cannot tell).
 */
export function sendRest(req: SandboxRequest, res: SandboxResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const fail = req.wp?.failAfter;
  if (fail) {
    sendFault(res, fail.status);
    return;
  }
  const fields = req.wp?.query['_fields'];
  const filtered = fields === undefined ? body : filterFields(body, typeof fields === 'string' ? fields.split(',') : Array.isArray(fields) ? fields.map(String) : []);
  writeJson(res, status, filtered, headers);
}

/** Sends a WordPress error body. */
export function sendError(res: SandboxResponse, err: WpError, headers: Record<string, string | string[]> = {}): void {
  writeJson(res, err.status, err.body(), headers);
}

/**
 * Sends the response an injected failure stands for: 500 is WordPress's fatal-error JSON, 503
 * WordPress's maintenance page, 502/504 an nginx proxy page.
 */
export function sendFault(res: SandboxResponse, status: 500 | 502 | 503 | 504): void {
  if (status === 500) {
    writeJson(res, 500, { ...criticalError().body(), additional_errors: [] }, {});
    return;
  }
  const pages: Record<number, [string, string]> = {
    502: ['502 Bad Gateway', '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'],
    503: ['Maintenance', '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Maintenance</title></head><body><h1>Briefly unavailable for scheduled maintenance. Check back in a minute.</h1></body></html>'],
    504: ['504 Gateway Time-out', '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'],
  };
  const [, html] = pages[status];
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=UTF-8');
  if (status === 503) res.setHeader('Retry-After', '600');
  res.end(html);
}

/** Sends a sandbox defect as WordPress's critical error, so clients see a store's 500. */
export function sendUnexpected(res: SandboxResponse): void {
  writeJson(res, 500, { ...criticalError().body(), additional_errors: [] }, {});
}

function writeJson(res: SandboxResponse, status: number, body: unknown, headers: Record<string, string | string[]>): void {
  if (res.headersSent) return;
  res.statusCode = status;
  for (const [k, v] of Object.entries({ ...WP_HEADERS, ...headers })) res.setHeader(k, v);
  res.end(wpJsonEncode(body));
}

/** `rest_filter_response_fields`: keep the listed top-level fields, or `a.b` nested ones; `_links` only when asked for. */
function filterFields(body: unknown, fields: string[]): unknown {
  if (Array.isArray(body)) return body.map((item) => filterFields(item, fields));
  if (!body || typeof body !== 'object') return body;
  const wanted = fields.map((f) => f.trim()).filter(Boolean);
  const out: Record<string, unknown> = {};
  const source = body as Record<string, unknown>;
  for (const field of wanted) {
    const [head, ...rest] = field.split('.');
    if (!(head in source)) continue;
    if (rest.length === 0) out[head] = source[head];
    else {
      const nested = filterFields(source[head], [rest.join('.')]);
      out[head] = typeof out[head] === 'object' && out[head] !== null ? { ...(out[head] as object), ...(nested as object) } : nested;
    }
  }
  return out;
}
