import { currencySymbolHtml, link, restUrl, type RestContext } from '../store/rest-context';
import type { ProductRecord, StockStatus } from '../store/woo-records';
import type { WooStoreState } from '../store/woo-store.state';
import { formatCents, parseCents } from '../tax/money';

/** The price a product sells at: the sale price when it is lower than the regular one. */
export function activePrice(p: ProductRecord): string {
  return onSale(p) ? p.sale_price : p.regular_price;
}

function onSale(p: ProductRecord): boolean {
  return p.sale_price !== '' && p.regular_price !== '' && parseCents(p.sale_price) < parseCents(p.regular_price);
}

/**
 * `validate_props` in WC_Product_Data_Store: with stock managed, the status follows the quantity
 * (above 0 in stock; otherwise on backorder if backorders are allowed, else out of stock).
 */
export function derivedStockStatus(p: Pick<ProductRecord, 'manage_stock' | 'stock_quantity' | 'backorders' | 'stock_status'>): StockStatus {
  if (!p.manage_stock) return p.stock_status;
  if ((p.stock_quantity ?? 0) > 0) return 'instock';
  return p.backorders !== 'no' ? 'onbackorder' : 'outofstock';
}

/** Returns the product as `GET /wc/v3/products/<id>` prints it (product.json field set and order). */
export function productToRest(p: ProductRecord, state: WooStoreState, ctx: RestContext): Record<string, unknown> {
  const c = ctx.clock;
  const children = p.variations.map((id) => state.products.get(id)).filter((v): v is ProductRecord => v !== undefined && v.status !== 'trash');
  const price = p.type === 'variable' ? minPrice(children) : activePrice(p);
  const stockStatus = p.type === 'variable' && !p.manage_stock ? variableStockStatus(children) : derivedStockStatus(p);
  const parent = p.type === 'variation' ? state.products.get(p.parent_id) : undefined;
  const links: Record<string, unknown> = { self: link(restUrl(ctx, `products/${p.id}`)), collection: link(restUrl(ctx, 'products')) };
  if (parent) links['up'] = link(restUrl(ctx, `products/${parent.id}`));
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    permalink: permalink(p, parent, ctx),
    date_created: c.local(p.dateCreated),
    date_created_gmt: c.gmt(p.dateCreated),
    date_modified: c.local(p.dateModified),
    date_modified_gmt: c.gmt(p.dateModified),
    type: p.type,
    status: p.status,
    featured: p.featured,
    catalog_visibility: p.catalog_visibility,
    description: p.description,
    short_description: p.short_description,
    sku: p.sku,
    price,
    regular_price: p.type === 'variable' ? '' : p.regular_price,
    sale_price: p.type === 'variable' ? '' : p.sale_price,
    date_on_sale_from: null,
    date_on_sale_from_gmt: null,
    date_on_sale_to: null,
    date_on_sale_to_gmt: null,
    price_html: priceHtml(price, state.settings.currency),
    on_sale: p.type === 'variable' ? children.some(onSale) : onSale(p),
    purchasable: price !== '' && p.status === 'publish',
    total_sales: p.total_sales,
    virtual: p.virtual,
    downloadable: p.downloadable,
    downloads: [],
    download_limit: -1,
    download_expiry: -1,
    external_url: '',
    button_text: '',
    tax_status: p.tax_status,
    tax_class: p.tax_class,
    manage_stock: p.manage_stock,
    stock_quantity: p.manage_stock ? p.stock_quantity : null,
    stock_status: stockStatus,
    backorders: p.backorders,
    backorders_allowed: p.backorders !== 'no',
    backordered: p.manage_stock && (p.stock_quantity ?? 0) <= 0 && p.backorders !== 'no',
    sold_individually: p.sold_individually,
    weight: p.weight,
    dimensions: { ...p.dimensions },
    shipping_required: !p.virtual,
    shipping_taxable: !p.virtual && p.tax_status !== 'none',
    shipping_class: p.shipping_class,
    shipping_class_id: 0,
    reviews_allowed: true,
    average_rating: '0.00',
    rating_count: 0,
    related_ids: [],
    upsell_ids: [],
    cross_sell_ids: [],
    parent_id: p.parent_id,
    purchase_note: p.purchase_note,
    categories: p.categories.map((x) => ({ ...x })),
    tags: p.tags.map((x) => ({ ...x })),
    images: p.images.map((img) => imageToRest(img, p, ctx)),
    attributes: p.attributes.map((a) => ({ ...a })),
    default_attributes: p.default_attributes.map((a) => ({ ...a })),
    variations: children.map((v) => v.id),
    grouped_products: [],
    menu_order: p.menu_order,
    meta_data: p.meta_data.map((x) => ({ ...x })),
    _links: links,
  };
}

/** Returns the variation as `GET /wc/v3/products/<parent>/variations/<id>` prints it (product-variation.json). */
export function variationToRest(v: ProductRecord, state: WooStoreState, ctx: RestContext): Record<string, unknown> {
  const c = ctx.clock;
  const parent = state.products.get(v.parent_id);
  const image = v.images[0];
  return {
    id: v.id,
    date_created: c.local(v.dateCreated),
    date_created_gmt: c.gmt(v.dateCreated),
    date_modified: c.local(v.dateModified),
    date_modified_gmt: c.gmt(v.dateModified),
    description: v.description,
    permalink: permalink(v, parent, ctx),
    sku: v.sku,
    price: activePrice(v),
    regular_price: v.regular_price,
    sale_price: v.sale_price,
    date_on_sale_from: null,
    date_on_sale_from_gmt: null,
    date_on_sale_to: null,
    date_on_sale_to_gmt: null,
    on_sale: onSale(v),
    status: v.status,
    purchasable: activePrice(v) !== '' && v.status === 'publish',
    virtual: v.virtual,
    downloadable: v.downloadable,
    downloads: [],
    download_limit: -1,
    download_expiry: -1,
    tax_status: v.tax_status,
    tax_class: v.tax_class,
    manage_stock: v.manage_stock,
    stock_quantity: v.manage_stock ? v.stock_quantity : null,
    stock_status: derivedStockStatus(v),
    backorders: v.backorders,
    backorders_allowed: v.backorders !== 'no',
    backordered: v.manage_stock && (v.stock_quantity ?? 0) <= 0 && v.backorders !== 'no',
    weight: v.weight,
    dimensions: { ...v.dimensions },
    shipping_class: v.shipping_class,
    shipping_class_id: 0,
    image: image ? imageToRest(image, v, ctx) : placeholderImage(v, ctx),
    attributes: v.attributes.map((a) => ({ ...a })),
    menu_order: v.menu_order,
    meta_data: v.meta_data.map((x) => ({ ...x })),
    _links: {
      self: link(restUrl(ctx, `products/${v.parent_id}/variations/${v.id}`)),
      collection: link(restUrl(ctx, `products/${v.parent_id}/variations`)),
      up: link(restUrl(ctx, `products/${v.parent_id}`)),
    },
  };
}

function permalink(p: ProductRecord, parent: ProductRecord | undefined, ctx: RestContext): string {
  if (p.type !== 'variation' || !parent) return `${ctx.siteUrl}/product/${p.slug}/`;
  const query = p.attributes.map((a) => `attribute_${String(a['slug'] ?? a['name']).toLowerCase()}=${encodeURIComponent(String(a['option']).toLowerCase())}`).join('&');
  return `${ctx.siteUrl}/product/${parent.slug}/${query ? `?${query}` : ''}`;
}

function imageToRest(img: { id: number; src: string; name: string; alt: string }, p: ProductRecord, ctx: RestContext): Record<string, unknown> {
  return {
    id: img.id,
    date_created: ctx.clock.local(p.dateCreated),
    date_created_gmt: ctx.clock.gmt(p.dateCreated),
    date_modified: ctx.clock.local(p.dateModified),
    date_modified_gmt: ctx.clock.gmt(p.dateModified),
    src: img.src,
    name: img.name,
    alt: img.alt,
  };
}

function placeholderImage(p: ProductRecord, ctx: RestContext): Record<string, unknown> {
  return imageToRest({ id: 0, src: `${ctx.siteUrl}/wp-content/plugins/woocommerce/assets/images/placeholder.png`, name: 'Placeholder', alt: 'Placeholder' }, p, ctx);
}

function minPrice(children: ProductRecord[]): string {
  const prices = children.map(activePrice).filter((x) => x !== '');
  if (prices.length === 0) return '';
  return formatCents(Math.min(...prices.map(parseCents)));
}

function variableStockStatus(children: ProductRecord[]): StockStatus {
  const statuses = children.map(derivedStockStatus);
  if (statuses.includes('instock')) return 'instock';
  if (statuses.includes('onbackorder')) return 'onbackorder';
  return 'outofstock';
}

function priceHtml(price: string, currency: string): string {
  if (price === '') return '';
  return `<span class="woocommerce-Price-amount amount"><span class="woocommerce-Price-currencySymbol">${currencySymbolHtml(currency)}</span>${price}</span>`;
}
