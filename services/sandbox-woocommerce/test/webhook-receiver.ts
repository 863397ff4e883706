import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got, with the body exactly as sent. */
export interface ReceivedRequest {
  method: string;
  url: string;
  httpVersion: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

/** A local HTTP endpoint that records what it receives and answers with a status the test sets. */
export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Status for the next answers (default 200). */
  status: number;
  /** Resolves once at least `n` requests arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Only the requests carrying a signature (deliveries, not pings). */
  deliveries(): ReceivedRequest[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(status = 200): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: Array<() => void> = [];
  const receiver: WebhookReceiver = {
    url: '',
    requests,
    status,
    waitFor(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (requests.length >= n) {
            clearTimeout(timer);
            resolve(requests);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => reject(new Error(`expected ${n} webhook requests, got ${requests.length}`)), timeoutMs);
        if (!check()) waiters.push(() => void check());
      });
    },
    deliveries: () => requests.filter((r) => r.headers['x-wc-webhook-signature'] !== undefined),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', httpVersion: req.httpVersion, headers: req.headers, rawBody: Buffer.concat(chunks) });
      res.statusCode = receiver.status;
      res.end('ok');
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/woocommerce`;
  return receiver;
}
