import type { WooCall } from './woocommerce-error.parser';
import { parseWooItemError } from './woocommerce-error.parser';
import { WooApiError } from './woocommerce.error';
import type { WooBatchRequest, WooBatchResponse, WooError } from './woocommerce.types';

/** Which list of a batch request an item was in. */
export type WooBatchAction = 'create' | 'update' | 'delete';

/** An item WooCommerce saved (or deleted): the object as it answered. */
export interface WooBatchItemSuccess<T> {
  ok: true;
  action: WooBatchAction;
  /** Position of the item in the caller's `create`, `update` or `delete` list. */
  index: number;
  id: number;
  item: T;
}

/** An item WooCommerce refused, or did not account for; the whole batch still answered 200. */
export interface WooBatchItemFailure {
  ok: false;
  action: WooBatchAction;
  /** Position of the item in the caller's `create`, `update` or `delete` list. */
  index: number;
  /** The id sent (0 for creates). */
  id: number;
  /** Classified like any other WooCommerce error (`WOO_NOT_FOUND`, `WOO_CONFLICT`, `WOO_REQUEST_INVALID`, ...). */
  error: WooApiError;
}

/** One item's outcome; narrow on `ok`. */
export type WooBatchItemResult<T> = WooBatchItemSuccess<T> | WooBatchItemFailure;

/** Per-item outcome of a batch, however many requests it took. */
export interface WooBatchResult<T> {
  create: Array<WooBatchItemResult<T>>;
  update: Array<WooBatchItemResult<T>>;
  delete: Array<WooBatchItemResult<T>>;
  /** Every failed item of the three lists, in request order. Empty means every item was applied. */
  failures: WooBatchItemFailure[];
  /** HTTP requests the batch was split into. */
  requests: number;
}

/** One item on its way to a chunk. */
export interface BatchEntry {
  action: WooBatchAction;
  index: number;
  payload: unknown;
  /** The id sent: the update's `id`, the delete id, 0 for creates. */
  id: number;
}

/** WooCommerce's default `woocommerce_rest_batch_items_limit` (NOTES-rest-api.md, "Batch endpoints", read 2026-11-26). */
export const WOO_BATCH_LIMIT = 100;

/** Flattens a batch request into entries in the order WooCommerce processes them: creates, updates, deletes. */
export function batchEntries<C, U>(req: WooBatchRequest<C, U>): BatchEntry[] {
  return [
    ...(req.create ?? []).map((payload, index) => ({ action: 'create' as const, index, payload, id: 0 })),
    ...(req.update ?? []).map((payload, index) => ({ action: 'update' as const, index, payload, id: payload.id })),
    ...(req.delete ?? []).map((id, index) => ({ action: 'delete' as const, index, payload: id, id })),
  ];
}

/** Splits entries into chunks of at most `limit` items in total, keeping their order. */
export function chunkEntries(entries: BatchEntry[], limit: number): BatchEntry[][] {
  const chunks: BatchEntry[][] = [];
  for (let i = 0; i < entries.length; i += limit) chunks.push(entries.slice(i, i + limit));
  return chunks;
}

/** The request body for one chunk. */
export function chunkBody(chunk: BatchEntry[]): Record<string, unknown[]> {
  const body: Record<string, unknown[]> = {};
  for (const e of chunk) (body[e.action] ??= []).push(e.payload);
  return body;
}

/**
 * Matches one chunk's answer to its entries, position by position within each list (WooCommerce
 * answers each list in request order). Per-item errors become classified failures; an item the
 * answer does not account for becomes a `WOO_BATCH_ITEM_MISSING` failure rather than vanishing.
 */
export function readChunkAnswer<T extends { id: number }>(chunk: BatchEntry[], answer: WooBatchResponse<T>, call: (entry: BatchEntry) => WooCall, into: WooBatchResult<T>): void {
  const position: Record<WooBatchAction, number> = { create: 0, update: 0, delete: 0 };
  for (const entry of chunk) {
    const list = answer[entry.action];
    const raw = Array.isArray(list) ? list[position[entry.action]++] : undefined;
    const result = readItem<T>(entry, raw, call(entry));
    into[entry.action].push(result);
    if (!result.ok) into.failures.push(result);
  }
}

function readItem<T extends { id: number }>(entry: BatchEntry, raw: unknown, call: WooCall): WooBatchItemResult<T> {
  if (raw && typeof raw === 'object') {
    const maybeError = (raw as { error?: unknown }).error;
    if (maybeError && typeof maybeError === 'object' && typeof (maybeError as WooError).code === 'string') {
      return { ok: false, action: entry.action, index: entry.index, id: entry.id, error: parseWooItemError(call, maybeError as WooError) };
    }
    if (typeof (raw as { id?: unknown }).id === 'number') {
      return { ok: true, action: entry.action, index: entry.index, id: (raw as T).id, item: raw as T };
    }
  }
  const error = new WooApiError(
    'WOO_BATCH_ITEM_MISSING',
    'defect',
    `WooCommerce at ${call.siteUrl} did not report on one item while ${call.activity} (the batch answer held ${raw === undefined ? 'no entry' : 'an unreadable entry'} for it): check the item in the WooCommerce admin and replay; a plugin filtering batch answers is the likely cause.`,
    { status: 200, outcomeUnknown: true },
    { siteUrl: call.siteUrl, method: call.method, endpoint: call.endpoint },
  );
  return { ok: false, action: entry.action, index: entry.index, id: entry.id, error };
}

/** An empty result to fill chunk by chunk. */
export function emptyBatchResult<T>(): WooBatchResult<T> {
  return { create: [], update: [], delete: [], failures: [], requests: 0 };
}
