import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { WooCommerceClient, WooProduct, WooVariation } from '@ledgerline/woocommerce';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG, POOL } from '../config/tokens';
import { skuIndexReads } from '../metrics';

/** Where one SKU's stock lives in a store, and what the store last showed for it. */
export interface SkuEntry {
  sku: string;
  itemId: number;
  /** 0 for a product (simple, or a variable parent), else the variable product of this variation. */
  parentId: number;
  manageStock: boolean;
  stockQuantity: number | null;
}

/** SKUs per `?sku=a,b,...` look-up: one page of at most 100 results, and a query string of a few KiB. */
const LOOKUP_CHUNK = 100;
const STOCK_TYPES = new Set(['simple', 'variable', 'variation']);

type Queryable = Pick<Pool, 'query'> | PoolClient;

/** Gives the index entry of a product or variation as the REST API answers it; null for types that hold no stock (grouped, external). */
export function entryOf(p: Pick<WooProduct, 'id' | 'sku' | 'type' | 'parent_id' | 'manage_stock' | 'stock_quantity'>): SkuEntry | null {
  if (typeof p.sku !== 'string' || p.sku === '' || !STOCK_TYPES.has(p.type)) return null;
  const variation = p.type === 'variation';
  return { sku: p.sku, itemId: p.id, parentId: variation ? p.parent_id : 0, manageStock: p.manage_stock === true, stockQuantity: p.manage_stock === true ? (p.stock_quantity ?? null) : null };
}

/**
 * The per-store SKU index (`sku_index`): SKU → product id or (parent id, variation id). Filled by crawling the
 * catalogue, by `?sku=` look-ups for SKUs it does not know, by product webhooks and by our own writes. Stock
 * values in it are a cache; reconciliation reads the store instead ({@link readFromStore}).
 */
@Injectable()
export class SkuIndex {
  private readonly s: string;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: StoreGatewayConfig,
  ) {
    this.s = config.schema;
  }

  /** Gives the known entries of `skus` (missing SKUs are absent from the map). */
  async get(storeId: string, skus: readonly string[]): Promise<Map<string, SkuEntry>> {
    const { rows } = await this.pool.query<{ sku: string; item_id: string; parent_id: string; manage_stock: boolean; stock_quantity: number | null }>(
      `SELECT sku, item_id, parent_id, manage_stock, stock_quantity FROM ${this.s}.sku_index WHERE store_id = $1 AND sku = ANY($2::text[])`,
      [storeId, skus],
    );
    return new Map(rows.map((r) => [r.sku, { sku: r.sku, itemId: Number(r.item_id), parentId: Number(r.parent_id), manageStock: r.manage_stock, stockQuantity: r.stock_quantity }]));
  }

  /**
   * Gives the entries of `skus`, asking the store (`GET /products?sku=...`, 100 SKUs per request) for those the
   * index does not know and recording what it answers. SKUs absent from the map are not in the store.
   */
  async resolve(storeId: string, client: WooCommerceClient, skus: readonly string[]): Promise<Map<string, SkuEntry>> {
    const known = await this.get(storeId, skus);
    const missing = skus.filter((sku) => !known.has(sku));
    if (missing.length === 0) return known;
    for (const entry of (await this.readFromStore(storeId, client, missing)).values()) known.set(entry.sku, entry);
    return known;
  }

  /** Reads `skus` from the store now (not from the cache), records them in the index and returns what exists. */
  async readFromStore(storeId: string, client: WooCommerceClient, skus: readonly string[]): Promise<Map<string, SkuEntry>> {
    const out = new Map<string, SkuEntry>();
    // WooCommerce splits the filter on commas: such a SKU can only be found by a crawl.
    const searchable = skus.filter((sku) => !sku.includes(',') && sku.trim() !== '');
    for (let i = 0; i < searchable.length; i += LOOKUP_CHUNK) {
      skuIndexReads.inc({ kind: 'lookup' });
      const found = await client.findProductsBySku(searchable.slice(i, i + LOOKUP_CHUNK));
      for (const p of found) {
        const entry = entryOf(p);
        if (entry) out.set(entry.sku, entry);
      }
    }
    await this.upsert(this.pool, storeId, [...out.values()]);
    return out;
  }

  /** When the index was last filled by a whole-catalogue crawl, or null. */
  async crawledAt(storeId: string): Promise<Date | null> {
    const { rows } = await this.pool.query<{ crawled_at: Date }>(`SELECT crawled_at FROM ${this.s}.sku_index_crawls WHERE store_id = $1`, [storeId]);
    return rows[0]?.crawled_at ?? null;
  }

  /**
   * Reads the whole catalogue (products by id, then the variations of each variable product) into the index and
   * drops entries the store no longer has. Returns how many SKUs it holds.
   */
  async crawl(storeId: string, client: WooCommerceClient): Promise<number> {
    // The database's clock: rows are stamped with it, and rows not stamped since the crawl began are gone.
    const { rows: clock } = await this.pool.query<{ t: Date }>('SELECT clock_timestamp() AS t');
    const started = (clock[0] as { t: Date }).t;
    let count = 0;
    const variable: number[] = [];
    for (let page = 1; ; page++) {
      skuIndexReads.inc({ kind: 'crawl' });
      const res = await client.listProducts({ page, per_page: 100, orderby: 'id', order: 'asc', status: 'any' });
      const entries = res.items.map(entryOf).filter((e): e is SkuEntry => e !== null);
      for (const p of res.items) if (p.type === 'variable') variable.push(p.id);
      await this.upsert(this.pool, storeId, entries);
      count += entries.length;
      if (res.items.length < 100 || (res.totalPages !== undefined && page >= res.totalPages)) break;
    }
    for (const parentId of variable) {
      for (let page = 1; ; page++) {
        skuIndexReads.inc({ kind: 'crawl' });
        const res = await client.listVariations(parentId, { page, per_page: 100, orderby: 'id', order: 'asc' });
        const entries = res.items.map((v) => variationEntry(v, parentId)).filter((e): e is SkuEntry => e !== null);
        await this.upsert(this.pool, storeId, entries);
        count += entries.length;
        if (res.items.length < 100 || (res.totalPages !== undefined && page >= res.totalPages)) break;
      }
    }
    await this.pool.query(`DELETE FROM ${this.s}.sku_index WHERE store_id = $1 AND updated_at < $2`, [storeId, started]);
    await this.pool.query(
      `INSERT INTO ${this.s}.sku_index_crawls (store_id, crawled_at, items) VALUES ($1, $2, $3)
       ON CONFLICT (store_id) DO UPDATE SET crawled_at = EXCLUDED.crawled_at, items = EXCLUDED.items`,
      [storeId, started, count],
    );
    return count;
  }

  /** Records entries (insert or replace), keeping one SKU per product/variation. */
  async upsert(db: Queryable, storeId: string, entries: readonly SkuEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // A product whose SKU changed leaves its old SKU behind; drop it so the old SKU resolves afresh.
    await db.query(
      `DELETE FROM ${this.s}.sku_index i USING unnest($2::bigint[], $3::text[]) AS n(item_id, sku)
        WHERE i.store_id = $1 AND i.item_id = n.item_id AND i.sku <> n.sku`,
      [storeId, entries.map((e) => e.itemId), entries.map((e) => e.sku)],
    );
    await db.query(
      `INSERT INTO ${this.s}.sku_index (store_id, sku, item_id, parent_id, manage_stock, stock_quantity, updated_at)
       SELECT $1::text, u.*, clock_timestamp() FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::boolean[], $6::integer[]) AS u
       ON CONFLICT (store_id, sku) DO UPDATE SET item_id = EXCLUDED.item_id, parent_id = EXCLUDED.parent_id,
         manage_stock = EXCLUDED.manage_stock, stock_quantity = EXCLUDED.stock_quantity, updated_at = EXCLUDED.updated_at`,
      [storeId, entries.map((e) => e.sku), entries.map((e) => e.itemId), entries.map((e) => e.parentId), entries.map((e) => e.manageStock), entries.map((e) => e.stockQuantity)],
    );
  }

  /** Forgets SKUs whose product or variation the store no longer has (a write answered "invalid id"). */
  async forget(storeId: string, skus: readonly string[]): Promise<void> {
    if (skus.length > 0) await this.pool.query(`DELETE FROM ${this.s}.sku_index WHERE store_id = $1 AND sku = ANY($2::text[])`, [storeId, skus]);
  }

  /** SKUs with managed stock that are not in `named`, from the index. */
  async managedSkusExcept(storeId: string, named: readonly string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ sku: string }>(
      `SELECT sku FROM ${this.s}.sku_index WHERE store_id = $1 AND manage_stock AND NOT (sku = ANY($2::text[])) ORDER BY sku`,
      [storeId, named],
    );
    return rows.map((r) => r.sku);
  }
}

function variationEntry(v: WooVariation, parentId: number): SkuEntry | null {
  return entryOf({ id: v.id, sku: v.sku, type: 'variation', parent_id: parentId, manage_stock: v.manage_stock === true, stock_quantity: v.stock_quantity } as Parameters<typeof entryOf>[0]);
}
