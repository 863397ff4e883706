import type { ProductRecord } from '../store/woo-records';
import type { WooStoreState } from '../store/woo-store.state';
import { CATEGORIES } from '../products/products.service';
import { derivedStockStatus } from '../products/product-rest.mapper';
import { formatCents } from '../tax/money';
import type { HookSink } from '../webhooks/request-hooks';
import type { Prng } from './prng';
import { ADJECTIVES, COLOURS, PRODUCT_KINDS, SEK_PER_UNIT, SIZES } from './sample-data';

export interface GenerateProductsOptions {
  /** Share of the SKUs that are variations of variable products (0..1, default 0.3). */
  variationsShare?: number;
  /** Share of SKUs with managed stock (default 0.85); the rest are plain in/out of stock. */
  manageStockShare?: number;
  /** SKU prefix (default `SKU`); SKUs are `<prefix>-000001`, variations `<parent SKU>-<option>`. */
  skuPrefix?: string;
  /** Fire `product.created` for each product and variation (default true). */
  webhooks?: boolean;
  /**
   * Variations per variable product. Default: 2–6, drawn per product (size and colour). A fixed
   * number (1–100) gives every variable product exactly that many (the last one the rest), with one
   * `Style` attribute, so stock writes through `products/<id>/variations/batch` can fill whole
   * 100-item batches.
   */
  variationsPerParent?: number;
}

export interface GeneratedProducts {
  /** Simple and variable products. */
  productIds: number[];
  variationIds: number[];
  /** Sellable SKUs: simple products and variations (variable parents' SKUs are in `parentSkus`). */
  skus: string[];
  parentSkus: string[];
}

/**
 * Adds `n` sellable SKUs to the catalogue: simple products and variations of variable products
 * (2–6 each, size and colour), with unique SKUs, prices in the store currency, tax classes from
 * the sandbox's table and mostly managed stock. Records are built directly (no per-product
 * uniqueness scans), so 20,000 SKUs take well under a second.
 */
export function generateProducts(state: WooStoreState, random: Prng, hooks: HookSink, n: number, opts: GenerateProductsOptions = {}): GeneratedProducts {
  const variationsShare = clamp01(opts.variationsShare ?? 0.3);
  const manageShare = clamp01(opts.manageStockShare ?? 0.85);
  const prefix = opts.skuPrefix ?? 'SKU';
  const fire = opts.webhooks ?? true;
  const perParent = opts.variationsPerParent;
  if (perParent !== undefined && !(Number.isInteger(perParent) && perParent >= 1 && perParent <= 100)) {
    throw new Error(`variationsPerParent must be a whole number from 1 to 100, got ${perParent}`);
  }
  const out: GeneratedProducts = { productIds: [], variationIds: [], skus: [], parentSkus: [] };
  const now = state.clock.now().getTime();
  const perSek = SEK_PER_UNIT[state.settings.currency] ?? 1;
  let skuSeq = state.products.size + 1;
  const nextSku = (): string => {
    let sku: string;
    do sku = `${prefix}-${String(skuSeq++).padStart(6, '0')}`;
    while (state.skus.has(sku));
    return sku;
  };

  const wantedVariations = Math.round(n * variationsShare);
  let variationsLeft = wantedVariations;
  let simpleLeft = n - wantedVariations;
  while (variationsLeft > 0 || simpleLeft > 0) {
    const makeVariable = variationsLeft > 0 && (simpleLeft === 0 || random.next() < variationsLeft / (variationsLeft + simpleLeft));
    const kind = random.pick(PRODUCT_KINDS.filter((k) => k.variable === makeVariable || (!makeVariable && k.variable)));
    const name = `${random.pick(ADJECTIVES)} ${random.pick(kind.nouns)}`;
    const created = new Date(now - random.int(1, 180) * 86_400_000 - random.int(0, 86_399) * 1000);
    const priceSek = random.pick([49, 79, 99, 149, 199, 249, 299, 399, 499, 799, 1299]) * (kind.taxClass === 'zero-rate' ? 2 : 1);
    const priceCents = Math.max(100, Math.round((priceSek * 100) / perSek / 10) * 10 - (perSek > 5 ? 10 : 0));
    const id = state.nextPostId();
    const parent = baseRecord(id, name, created, kind.taxClass, kind.category);
    parent.slug = `${slug(name)}-${id}`;
    parent.sku = nextSku();
    state.skus.set(parent.sku, id);
    state.products.set(id, parent);
    out.productIds.push(id);

    if (!makeVariable) {
      simpleLeft--;
      parent.regular_price = formatCents(priceCents);
      if (random.chance(0.1)) parent.sale_price = formatCents(Math.round(priceCents * 0.8));
      stock(parent, random, manageShare);
      out.skus.push(parent.sku);
      if (fire) hooks.fire('product', 'created', id);
      continue;
    }

    parent.type = 'variable';
    out.parentSkus.push(parent.sku);
    const count = Math.min(variationsLeft, perParent ?? random.int(2, 6));
    const options = perParent === undefined ? combos(random, count) : styles(count);
    parent.attributes =
      perParent === undefined
        ? [
            { id: 0, name: 'Size', position: 0, visible: true, variation: true, options: [...new Set(options.map((o) => o[0]))] },
            { id: 0, name: 'Colour', position: 1, visible: true, variation: true, options: [...new Set(options.map((o) => o[1]))] },
          ]
        : [{ id: 0, name: 'Style', position: 0, visible: true, variation: true, options: options.map((o) => o[1]) }];
    parent.default_attributes = [];
    if (fire) hooks.fire('product', 'created', id);
    for (const [size, colour] of options) {
      const vid = state.nextPostId();
      const v = baseRecord(vid, perParent === undefined ? `${name} - ${size}, ${colour}` : `${name} - ${colour}`, created, kind.taxClass, kind.category);
      v.type = 'variation';
      v.parent_id = id;
      v.categories = [];
      v.slug = perParent === undefined ? `${parent.slug}-${slug(size)}-${slug(colour)}` : `${parent.slug}-${slug(colour)}`;
      v.sku = perParent === undefined ? `${parent.sku}-${size}-${colour.slice(0, 3).toUpperCase()}` : `${parent.sku}-${colour}`;
      if (state.skus.has(v.sku)) v.sku = nextSku();
      v.regular_price = formatCents(priceCents + (size === 'XL' ? Math.round(1000 / perSek / 10) * 10 : 0));
      v.attributes =
        perParent === undefined
          ? [
              { id: 0, name: 'Size', option: size },
              { id: 0, name: 'Colour', option: colour },
            ]
          : [{ id: 0, name: 'Style', option: colour }];
      stock(v, random, manageShare);
      state.skus.set(v.sku, vid);
      state.products.set(vid, v);
      parent.variations.push(vid);
      out.variationIds.push(vid);
      out.skus.push(v.sku);
      variationsLeft--;
      if (fire) hooks.fire('product', 'created', vid);
    }
  }
  return out;
}

function stock(p: ProductRecord, random: Prng, manageShare: number): void {
  if (random.next() < manageShare) {
    p.manage_stock = true;
    p.stock_quantity = random.chance(0.08) ? 0 : random.int(1, 250);
    p.backorders = random.chance(0.05) ? 'notify' : 'no';
    p.stock_status = derivedStockStatus(p);
  } else {
    p.stock_status = random.chance(0.1) ? 'outofstock' : 'instock';
  }
}

function combos(random: Prng, count: number): Array<[string, string]> {
  const all: Array<[string, string]> = [];
  const first = random.pick(COLOURS);
  const second = random.pick(COLOURS.filter((c) => c !== first));
  for (const colour of [first, second]) for (const size of SIZES) all.push([size, colour]);
  return all.slice(0, count);
}

/** `count` single-attribute options `S001`, `S002`, ... (the size slot stays empty). */
function styles(count: number): Array<[string, string]> {
  return Array.from({ length: count }, (_, i) => ['', `S${String(i + 1).padStart(3, '0')}`] as [string, string]);
}

function baseRecord(id: number, name: string, created: Date, taxClass: string, category: number): ProductRecord {
  const cat = CATEGORIES.find((c) => c.id === category);
  return {
    id,
    type: 'simple',
    parent_id: 0,
    name,
    slug: '',
    status: 'publish',
    featured: false,
    catalog_visibility: 'visible',
    description: '',
    short_description: '',
    sku: '',
    regular_price: '',
    sale_price: '',
    virtual: taxClass === 'zero-rate',
    downloadable: false,
    tax_status: 'taxable',
    tax_class: taxClass,
    manage_stock: false,
    stock_quantity: null,
    stock_status: 'instock',
    backorders: 'no',
    low_stock_amount: null,
    sold_individually: false,
    weight: '',
    dimensions: { length: '', width: '', height: '' },
    shipping_class: '',
    categories: cat ? [{ ...cat }] : [],
    tags: [],
    images: [],
    attributes: [],
    default_attributes: [],
    variations: [],
    menu_order: 0,
    meta_data: [],
    total_sales: 0,
    purchase_note: '',
    dateCreated: created,
    dateModified: created,
  };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
