import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** What came back from a delivery; `status` 0 means no HTTP answer (WordPress's WP_Error case). */
export interface HookshotResponse {
  status: number;
  headers: Record<string, string>;
  /** The first 2 KiB of the body. */
  body: string;
  /** WordPress's error text when there was no HTTP answer, e.g. a timeout. */
  error?: string;
}

const MAX_KEPT_BODY = 2048;

/**
 * Sends one POST the way WordPress's HTTP API does for webhooks (`httpversion` 1.0, no redirects
 * followed) and returns the status line, headers and the start of the body. Written on a raw
 * socket because Node's HTTP client always speaks HTTP/1.1; a receiver thus sees
 * `req.httpVersion === '1.0'` and `Connection: close` semantics, as from a store.
 */
export function postHttp10(url: string, headers: Array<[string, string]>, body: Buffer, timeoutMs: number, signal?: AbortSignal): Promise<HookshotResponse> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ status: 0, headers: {}, body: '', error: 'A valid URL was not provided.' });
      return;
    }
    const https = target.protocol === 'https:';
    const port = Number(target.port || (https ? 443 : 80));
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (r: HookshotResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(r);
    };
    const socket: Socket = https ? tlsConnect({ host, port, servername: host }) : netConnect({ host, port });
    const timer = setTimeout(() => {
      const received = Buffer.concat(chunks).length;
      finish({ status: 0, headers: {}, body: '', error: `cURL error 28: Operation timed out after ${timeoutMs} milliseconds with ${received} bytes received` });
    }, timeoutMs);
    const onAbort = (): void => finish({ status: 0, headers: {}, body: '', error: 'aborted: the sandbox is closing' });
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once(https ? 'secureConnect' : 'connect', () => {
      const path = `${target.pathname || '/'}${target.search}`;
      const lines = [`POST ${path} HTTP/1.0`, `Host: ${target.host}`, ...headers.map(([k, v]) => `${k}: ${v}`), `Content-Length: ${body.length}`, '', ''];
      socket.write(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]));
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('end', () => finish(parseResponse(Buffer.concat(chunks))));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (chunks.length > 0) finish(parseResponse(Buffer.concat(chunks)));
      else finish({ status: 0, headers: {}, body: '', error: curlError(err, host, port) });
    });
  });
}

function parseResponse(raw: Buffer): HookshotResponse {
  const headEnd = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, headEnd < 0 ? raw.length : headEnd).toString('latin1');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(statusLine ?? '');
  if (!m) return { status: 0, headers: {}, body: '', error: 'cURL error 8: Weird server reply' };
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = headEnd < 0 ? '' : raw.subarray(headEnd + 4, headEnd + 4 + MAX_KEPT_BODY).toString('utf8');
  return { status: Number(m[1]), headers, body };
}

function curlError(err: NodeJS.ErrnoException, host: string, port: number): string {
  if (err.code === 'ECONNREFUSED') return `cURL error 7: Failed to connect to ${host} port ${port}: Connection refused`;
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return `cURL error 6: Could not resolve host: ${host}`;
  if (err.code === 'ECONNRESET') return 'cURL error 56: Recv failure: Connection reset by peer';
  return `cURL error: ${err.message}`;
}
