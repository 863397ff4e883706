import { dateFilter, sortRecords } from '../http/collection';
import { mergeMeta } from '../store/record-updates';
import type { ProductImage, ProductRecord, ProductType, StockStatus } from '../store/woo-records';
import type { WooStoreState } from '../store/woo-store.state';
import { tryParseCents } from '../tax/money';
import type { HookSink } from '../webhooks/request-hooks';
import { arrayOf, isObject, toInt, truthy, type Json } from '../wp/json-values';
import { invalidId, WpError } from '../wp/wp-error';
import { activePrice, derivedStockStatus } from './product-rest.mapper';

/** Product categories the sandbox store has (the categories resource itself is not served). */
export const CATEGORIES: ReadonlyArray<{ id: number; name: string; slug: string }> = [
  { id: 9, name: 'Clothing', slug: 'clothing' },
  { id: 14, name: 'T-shirts', slug: 't-shirts' },
  { id: 15, name: 'Accessories', slug: 'accessories' },
  { id: 16, name: 'Books', slug: 'books' },
  { id: 17, name: 'Food', slug: 'food' },
  { id: 18, name: 'Home', slug: 'home' },
];

/**
 * Products and variations as WooCommerce's REST products controllers keep them: unique SKUs
 * across both, stock status following the quantity when stock is managed, `stock_quantity`
 * ignored unless `manage_stock` is on, trash or permanent delete, and the webhook hooks.
 */
export class ProductsService {
  private imageSeq = 10_000;

  constructor(private readonly state: WooStoreState) {}

  get(id: number): ProductRecord | undefined {
    return this.state.products.get(id);
  }

  /** Products (`variations` false) or one product's variations matching validated list params, sorted. */
  list(params: Json, parentId?: number): ProductRecord[] {
    const statuses = typeof params['status'] === 'string' ? params['status'] : 'any';
    const skus = typeof params['sku'] === 'string' ? splitSkus(params['sku']) : null;
    const include = params['include'] as number[] | undefined;
    const exclude = params['exclude'] as number[] | undefined;
    const parents = params['parent'] as number[] | undefined;
    const search = typeof params['search'] === 'string' ? params['search'].toLowerCase() : undefined;
    const category = typeof params['category'] === 'string' ? params['category'].split(',').map(Number) : undefined;
    const minPrice = tryParseCents(params['min_price']);
    const maxPrice = tryParseCents(params['max_price']);
    const inDates = dateFilter(params, this.state.clock);
    // A variable product lists its own children; scanning the whole catalogue per parent is what a crawl cannot afford.
    const parent = parentId === undefined ? undefined : this.state.products.get(parentId);
    const candidates = parent ? parent.variations.map((id) => this.state.products.get(id)).filter((p): p is ProductRecord => p !== undefined) : parentId === undefined ? [...this.state.products.values()] : [];
    const matches = candidates.filter((p) => {
      if (parentId !== undefined) {
        if (p.type !== 'variation' || p.parent_id !== parentId) return false;
      } else if (p.type === 'variation' && skus === null) {
        // A SKU search also finds variations (products controller queries both post types then).
        return false;
      }
      if (statuses === 'any' ? p.status === 'trash' : p.status !== statuses) return false;
      if (skus && !skus.includes(p.sku)) return false;
      if (params['type'] !== undefined && p.type !== params['type']) return false;
      if (include && include.length > 0 && !include.includes(p.id)) return false;
      if (exclude && exclude.includes(p.id)) return false;
      if (parents && parents.length > 0 && !parents.includes(p.parent_id)) return false;
      if (params['featured'] !== undefined && p.featured !== params['featured']) return false;
      if (params['stock_status'] !== undefined && derivedStockStatus(p) !== params['stock_status']) return false;
      if (params['on_sale'] !== undefined && (activePrice(p) !== p.regular_price) !== params['on_sale']) return false;
      if (category && !p.categories.some((c) => category.includes(c.id))) return false;
      if (minPrice !== null || maxPrice !== null) {
        // Parsed only when asked for: a catalogue crawl pages through every product.
        const price = tryParseCents(activePrice(p));
        if (minPrice !== null && (price === null || price < minPrice)) return false;
        if (maxPrice !== null && (price === null || price > maxPrice)) return false;
      }
      if (search && !`${p.name} ${p.sku} ${p.short_description}`.toLowerCase().includes(search)) return false;
      return inDates(p.dateCreated, p.dateModified);
    });
    const orderby = params['orderby'] ?? 'date';
    const key = (p: ProductRecord): number | string => {
      switch (orderby) {
        case 'id':
          return p.id;
        case 'title':
          return p.name.toLowerCase();
        case 'slug':
          return p.slug;
        case 'modified':
          return p.dateModified.getTime();
        case 'price':
          return tryParseCents(activePrice(p)) ?? 0;
        case 'popularity':
          return p.total_sales;
        case 'menu_order':
          return p.menu_order;
        default:
          return p.dateCreated.getTime();
      }
    };
    return sortRecords(matches, key, params['order'], orderby === 'include' ? include : undefined);
  }

  /** Creates a product (`POST /products`) or, with `parentId`, a variation of it. */
  create(input: Json, hooks: HookSink, parentId?: number): ProductRecord {
    if (input['id'] !== undefined && input['id'] !== 0) {
      throw new WpError(400, `woocommerce_rest_${parentId === undefined ? 'product' : 'product_variation'}_exists`, `Cannot create existing ${parentId === undefined ? 'product' : 'product_variation'}.`);
    }
    let parent: ProductRecord | undefined;
    if (parentId !== undefined) {
      parent = this.state.products.get(parentId);
      // Guess: the contract does not show the error for a variation of a missing product.
      if (!parent || parent.type === 'variation') throw invalidId('product');
    }
    const now = this.state.clock.now();
    const p: ProductRecord = {
      id: this.state.nextPostId(),
      type: parent ? 'variation' : 'simple',
      parent_id: parent ? parent.id : 0,
      name: parent ? parent.name : 'Product',
      slug: '',
      status: 'publish',
      featured: false,
      catalog_visibility: 'visible',
      description: '',
      short_description: '',
      sku: '',
      regular_price: '',
      sale_price: '',
      virtual: false,
      downloadable: false,
      tax_status: 'taxable',
      tax_class: parent ? parent.tax_class : '',
      manage_stock: false,
      stock_quantity: null,
      stock_status: 'instock',
      backorders: 'no',
      low_stock_amount: null,
      sold_individually: false,
      weight: '',
      dimensions: { length: '', width: '', height: '' },
      shipping_class: '',
      categories: [],
      tags: [],
      images: [],
      attributes: [],
      default_attributes: [],
      variations: [],
      menu_order: 0,
      meta_data: [],
      total_sales: 0,
      purchase_note: '',
      dateCreated: now,
      dateModified: now,
    };
    this.applyProps(p, input, true);
    if (!parent && p.slug === '') p.slug = this.uniqueSlug(p.name);
    if (parent) p.name = `${parent.name} - ${p.attributes.map((a) => a['option']).join(', ')}`;
    this.state.products.set(p.id, p);
    if (p.sku !== '') this.state.skus.set(p.sku, p.id);
    if (parent) {
      parent.variations.push(p.id);
      if (parent.type !== 'variable') parent.type = 'variable';
    }
    hooks.fire('product', 'created', p.id);
    return p;
  }

  /**
   * Updates a product or variation; an unknown id is 400 `woocommerce_rest_<type>_invalid_id`, as
   * WooCommerce answers updates. Through `/products` (no `parentId`) a variation id is accepted
   * too: the products controller loads any product type with `wc_get_product` (read from the
   * WooCommerce code, not in the contract files; verify against a live store).
   */
  update(id: number, input: Json, hooks: HookSink, parentId?: number): ProductRecord {
    const p = this.state.products.get(id);
    const postType = parentId === undefined ? 'product' : 'product_variation';
    if (!p || (parentId !== undefined && p.parent_id !== parentId)) throw invalidId(postType, 400);
    const oldSku = p.sku;
    this.applyProps(p, input, false);
    if (p.sku !== oldSku) {
      if (oldSku !== '') this.state.skus.delete(oldSku);
      if (p.sku !== '') this.state.skus.set(p.sku, p.id);
    }
    p.dateModified = this.state.clock.now();
    hooks.fire('product', 'updated', p.id);
    return p;
  }

  /**
   * Deletes a product or variation. Without `force` a product goes to the trash (`product.deleted`
   * fires); variations cannot be trashed (501). With `force` it is gone, its variations with it,
   * and no webhook fires (only `wp_trash_post` is hooked; batch deletes are always forced).
   */
  delete(id: number, force: boolean, hooks: HookSink, parentId?: number): ProductRecord {
    const p = this.state.products.get(id);
    const postType = parentId === undefined ? 'product' : 'product_variation';
    if (!p || (parentId !== undefined && p.parent_id !== parentId) || (parentId === undefined && p.type === 'variation')) throw invalidId(postType);
    if (!force) {
      if (parentId !== undefined) throw new WpError(501, 'woocommerce_rest_trash_not_supported', `The ${postType} does not support trashing.`);
      if (p.status === 'trash') throw new WpError(410, 'woocommerce_rest_already_trashed', `The ${postType} has already been deleted.`);
      p.status = 'trash';
      p.dateModified = this.state.clock.now();
      hooks.fire('product', 'deleted', p.id);
      return p;
    }
    for (const childId of p.variations) this.forget(childId);
    this.forget(p.id);
    const parent = this.state.products.get(p.parent_id);
    if (parent) parent.variations = parent.variations.filter((v) => v !== p.id);
    return p;
  }

  private forget(id: number): void {
    const p = this.state.products.get(id);
    if (!p) return;
    if (p.sku !== '' && this.state.skus.get(p.sku) === id) this.state.skus.delete(p.sku);
    this.state.products.delete(id);
  }

  /** Applies REST fields the way `prepare_object_for_database` does, throwing WooCommerce's errors. */
  private applyProps(p: ProductRecord, input: Json, creating: boolean): void {
    const str = (k: string): string | undefined => (typeof input[k] === 'string' ? (input[k] as string) : typeof input[k] === 'number' ? String(input[k]) : undefined);
    const name = str('name');
    const slug = str('slug');
    if (name !== undefined && p.type !== 'variation') p.name = name || 'Product';
    if (slug !== undefined && p.type !== 'variation') p.slug = slug;
    if (creating && typeof input['type'] === 'string' && p.type !== 'variation') p.type = input['type'] as ProductType;
    for (const k of ['status', 'catalog_visibility', 'description', 'short_description', 'tax_status', 'tax_class', 'backorders', 'weight', 'shipping_class', 'purchase_note'] as const) {
      const v = str(k);
      if (v !== undefined) (p as unknown as Json)[k] = v;
    }
    for (const k of ['featured', 'virtual', 'downloadable', 'sold_individually'] as const) if (input[k] !== undefined) p[k] = truthy(input[k]);
    if (input['menu_order'] !== undefined) p.menu_order = toInt(input['menu_order']) ?? p.menu_order;
    // wc_format_decimal: numbers become strings, text that is not a number becomes ''. Batch items
    // reach this without the schema's string check, so a number is accepted there but not alone.
    for (const k of ['regular_price', 'sale_price'] as const) if (input[k] !== undefined) p[k] = formatDecimal(input[k]);
    if (input['sku'] !== undefined) {
      const sku = String(input['sku'] ?? '').trim();
      const owner = sku === '' ? undefined : this.state.skus.get(sku);
      if (owner !== undefined && owner !== p.id) {
        throw new WpError(400, 'product_invalid_sku', 'Invalid or duplicated SKU.', { resource_id: owner, unique_sku: this.uniqueSku(sku) });
      }
      p.sku = sku;
    }
    if (input['dimensions'] !== undefined && isObject(input['dimensions'])) {
      const d = input['dimensions'];
      p.dimensions = { length: String(d['length'] ?? p.dimensions.length), width: String(d['width'] ?? p.dimensions.width), height: String(d['height'] ?? p.dimensions.height) };
    }
    if (Array.isArray(input['categories'])) {
      p.categories = arrayOf(input['categories'])
        .map((c) => CATEGORIES.find((k) => k.id === toInt(c['id'])))
        .filter((c): c is (typeof CATEGORIES)[number] => c !== undefined)
        .map((c) => ({ ...c }));
    }
    if (Array.isArray(input['images'])) p.images = arrayOf(input['images']).map((img) => this.image(img));
    if (isObject(input['image'])) p.images = [this.image(input['image'])];
    if (Array.isArray(input['attributes'])) p.attributes = arrayOf(input['attributes']).map((a) => normaliseAttribute(a, p.type === 'variation'));
    if (Array.isArray(input['default_attributes'])) p.default_attributes = arrayOf(input['default_attributes']).map((a) => ({ id: toInt(a['id']) ?? 0, name: String(a['name'] ?? ''), option: String(a['option'] ?? '') }));
    if (Array.isArray(input['meta_data'])) p.meta_data = mergeMeta(this.state, p.meta_data, input['meta_data']);

    // Stock (WC_REST_Products_V2_Controller::prepare_object_for_database): the quantity only counts
    // when stock is managed; turning management off clears it. A trap for stock sync.
    if (input['manage_stock'] !== undefined) p.manage_stock = truthy(input['manage_stock']);
    if (typeof input['stock_status'] === 'string') p.stock_status = input['stock_status'] as StockStatus;
    if (p.manage_stock) {
      const qty = toInt(input['stock_quantity']) ?? (typeof input['stock_quantity'] === 'number' ? Math.trunc(input['stock_quantity']) : undefined);
      if (qty !== undefined) p.stock_quantity = qty;
      else if (input['inventory_delta'] !== undefined) p.stock_quantity = (p.stock_quantity ?? 0) + (toInt(input['inventory_delta']) ?? 0);
      else if (p.stock_quantity === null) p.stock_quantity = 0;
      p.stock_status = derivedStockStatus(p);
    } else {
      p.stock_quantity = null;
    }
    if (input['low_stock_amount'] !== undefined) p.low_stock_amount = toInt(input['low_stock_amount']) ?? null;
  }

  private image(img: Json): ProductImage {
    const src = String(img['src'] ?? '');
    return { id: toInt(img['id']) ?? this.imageSeq++, src: src.replace(/^https?:\/\/[^/]+\/.*\/([^/]+)$/, `${this.state.settings.siteUrl}/wp-content/uploads/2024/06/$1`), name: String(img['name'] ?? ''), alt: String(img['alt'] ?? '') };
  }

  private uniqueSlug(name: string): string {
    const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'product';
    const taken = new Set([...this.state.products.values()].map((p) => p.slug));
    if (!taken.has(base)) return base;
    let n = 2;
    while (taken.has(`${base}-${n}`)) n++;
    return `${base}-${n}`;
  }

  /** `wc_product_generate_unique_sku`: the SKU with the first free `-N` suffix. */
  private uniqueSku(sku: string): string {
    let n = 1;
    while (this.state.skus.has(`${sku}-${n}`)) n++;
    return `${sku}-${n}`;
  }
}

function splitSkus(value: string): string[] {
  // "Limit result set to products with specific SKU(s). Use commas to separate." The whole string counts too.
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  return parts.length > 1 ? [...parts, value] : parts;
}

function normaliseAttribute(a: Json, variation: boolean): Record<string, unknown> {
  if (variation) return { id: toInt(a['id']) ?? 0, name: String(a['name'] ?? ''), option: String(a['option'] ?? '') };
  return {
    id: toInt(a['id']) ?? 0,
    name: String(a['name'] ?? ''),
    position: toInt(a['position']) ?? 0,
    visible: a['visible'] === undefined ? false : truthy(a['visible']),
    variation: a['variation'] === undefined ? false : truthy(a['variation']),
    options: Array.isArray(a['options']) ? a['options'].map(String) : [],
  };
}

function formatDecimal(v: unknown): string {
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
  return /^-?(\d+\.?\d*|\.\d+)$/.test(s) ? s : '';
}
