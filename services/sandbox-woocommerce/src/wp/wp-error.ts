/**
 * A WordPress REST error, rendered as WooCommerce does: `{ code, message, data: { status, ... } }`.
 * Services throw it; the REST layer turns it into the response (and a batch into a per-item error).
 */
export class WpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extraData: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The JSON body WordPress sends for this error. */
  body(): { code: string; message: string; data: Record<string, unknown> } {
    return { code: this.code, message: this.message, data: { status: this.status, ...this.extraData } };
  }
}

/** WordPress's answer for a path or method no route handles. */
export function noRoute(): WpError {
  return new WpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
}

/** `Invalid ID.` with WooCommerce's post-type code, e.g. `woocommerce_rest_shop_order_invalid_id`. */
export function invalidId(postType: string, status = 404): WpError {
  return new WpError(status, `woocommerce_rest_${postType}_invalid_id`, 'Invalid ID.');
}

/** One failed parameter check, as WordPress reports it under `data.params` and `data.details`. */
export interface ParamProblem {
  param: string;
  code: string;
  message: string;
}

/** WordPress's `rest_invalid_param` error for one or more invalid parameters. */
export function invalidParams(problems: ParamProblem[]): WpError {
  const params: Record<string, string> = {};
  const details: Record<string, { code: string; message: string; data: null }> = {};
  for (const p of problems) {
    params[p.param] = p.message;
    details[p.param] = { code: p.code, message: p.message, data: null };
  }
  return new WpError(400, 'rest_invalid_param', `Invalid parameter(s): ${Object.keys(params).join(', ')}`, { params, details });
}

/** WordPress's `rest_missing_callback_param` error for required parameters that were not sent. */
export function missingParams(names: string[]): WpError {
  return new WpError(400, 'rest_missing_callback_param', `Missing parameter(s): ${names.join(', ')}`, { params: names });
}

/**
 * The body WordPress (5.2+) sends when PHP dies during a REST request; used for injected 500s and
 * for sandbox defects, so a client sees what a crashing store sends.
 */
export function criticalError(): WpError {
  return new WpError(
    500,
    'internal_server_error',
    '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>',
    {},
  );
}
