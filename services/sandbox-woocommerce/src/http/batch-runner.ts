import type { RequestHooks } from '../webhooks/request-hooks';
import { isObject, type Json } from '../wp/json-values';
import { WpError } from '../wp/wp-error';
import type { BatchCounter } from './sandbox-counters';

/** What each part of a batch does with one item; each returns the item's REST representation. */
export interface BatchHandlers {
  create(item: Json, hooks: RequestHooks): unknown | Promise<unknown>;
  update(item: Json, hooks: RequestHooks): unknown | Promise<unknown>;
  delete(id: number, hooks: RequestHooks): unknown | Promise<unknown>;
}

/** `woocommerce_rest_batch_items_limit`'s default. */
export const BATCH_LIMIT = 100;

/**
 * Runs a batch request like `WC_REST_Controller::batch_items`: more than 100 items in total is
 * refused whole with 413; otherwise each item runs on its own (no schema validation, deletes
 * always forced) and a failing item becomes `{id, error: {code, message, data}}` in a 200
 * (NOTES-rest-api.md, "Batch endpoints", read 2026-11-26).
 */
export async function runBatch(body: unknown, hooks: RequestHooks, counter: BatchCounter, handlers: BatchHandlers): Promise<Json> {
  counter.requests++;
  const params = isObject(body) ? body : {};
  const list = (k: string): unknown[] => (Array.isArray(params[k]) ? (params[k] as unknown[]) : isObject(params[k]) ? Object.values(params[k] as Json) : []);
  const create = list('create');
  const update = list('update');
  const del = list('delete');
  if (create.length + update.length + del.length > BATCH_LIMIT) {
    counter.rejected++;
    throw new WpError(413, 'woocommerce_rest_request_entity_too_large', `Unable to accept more than ${BATCH_LIMIT} items for this request.`);
  }
  counter.create += create.length;
  counter.update += update.length;
  counter.delete += del.length;
  counter.items += create.length + update.length + del.length;

  const out: Json = {};
  const attempt = async (fn: () => unknown, id: unknown): Promise<unknown> => {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof WpError)) throw err;
      counter.failedItems++;
      return { id, error: { code: err.code, message: err.message, data: { status: err.status, ...err.extraData } } };
    }
  };
  if (create.length > 0) {
    out['create'] = [];
    for (const item of create) (out['create'] as unknown[]).push(await attempt(() => handlers.create(isObject(item) ? item : {}, hooks), 0));
  }
  if (update.length > 0) {
    out['update'] = [];
    for (const item of update) {
      const obj = isObject(item) ? item : {};
      (out['update'] as unknown[]).push(await attempt(() => handlers.update(obj, hooks), obj['id'] ?? 0));
    }
  }
  if (del.length > 0) {
    out['delete'] = [];
    for (const raw of del) {
      const id = Number.parseInt(String(raw), 10) || 0;
      if (id === 0) continue;
      (out['delete'] as unknown[]).push(await attempt(() => handlers.delete(id, hooks), id));
    }
  }
  return out;
}
