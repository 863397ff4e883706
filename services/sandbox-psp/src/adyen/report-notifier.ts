import { createHmac } from 'node:crypto';
import { amsterdamIso } from '../common/dates';

/** A standard-webhook `NotificationRequestItem` of event REPORT_AVAILABLE (webhooks-v1-trimmed.json example). */
export interface ReportAvailableItem {
  additionalData: { hmacSignature: string };
  amount: { currency: string; value: number };
  eventCode: 'REPORT_AVAILABLE';
  eventDate: string;
  merchantAccountCode: string;
  merchantReference: string;
  pspReference: string;
  reason: string;
  success: 'true';
}

export interface NotificationDelivery {
  url: string;
  fileName: string;
  merchantAccount: string;
  status: number | null;
  error: string | null;
  body: string;
}

/**
 * Adyen's HMAC for standard webhooks: HMAC-SHA256, keyed with the hex-decoded key, over
 * `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`,
 * base64 (docs.adyen.com/development-resources/webhooks/verify-hmac-signatures; not in the stored files).
 */
export function adyenHmac(hexKey: string, item: Omit<ReportAvailableItem, 'additionalData'> & { originalReference?: string }): string {
  const payload = [item.pspReference, item.originalReference ?? '', item.merchantAccountCode, item.merchantReference, String(item.amount.value), item.amount.currency, item.eventCode, item.success].join(':');
  return createHmac('sha256', Buffer.from(hexKey, 'hex')).update(payload, 'utf8').digest('base64');
}

/** Posts REPORT_AVAILABLE notifications, one at a time in order, and keeps a log of every attempt. */
export class ReportNotifier {
  url: string | null = null;
  readonly deliveries: NotificationDelivery[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly hmacKey: string) {}

  /** Queues one notification for `fileName`, downloadable at `downloadUrl`. */
  send(merchantAccount: string, fileName: string, downloadUrl: string, currency: string, at: Date): void {
    const url = this.url;
    if (!url) return;
    const unsigned = {
      amount: { currency, value: 0 },
      eventCode: 'REPORT_AVAILABLE' as const,
      eventDate: amsterdamIso(at),
      merchantAccountCode: merchantAccount,
      merchantReference: '',
      pspReference: fileName,
      reason: downloadUrl,
      success: 'true' as const,
    };
    const item: ReportAvailableItem = { additionalData: { hmacSignature: adyenHmac(this.hmacKey, unsigned) }, ...unsigned };
    const body = JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: item }] });
    this.queue = this.queue.then(async () => {
      const entry: NotificationDelivery = { url, fileName, merchantAccount, status: null, error: null, body };
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
        entry.status = res.status;
        await res.text();
      } catch (err) {
        entry.error = (err as Error).message;
      }
      this.deliveries.push(entry);
    });
  }

  /** Resolves when every queued notification has been attempted. */
  flush(): Promise<void> {
    return this.queue;
  }
}
