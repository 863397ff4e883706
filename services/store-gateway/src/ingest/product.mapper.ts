import type { ProductType, ProductUpserted } from '@ledgerline/contracts';
import type { WooProduct } from '@ledgerline/woocommerce';
import { MappingRefusedError } from './mapping-refused.error';
import type { StoreRef } from './order.mapper';
import { decodeEntities, gmtToIso, textOrNull } from './woo-values';

/**
 * Maps a WooCommerce product (or a variation, which `product.*` webhooks deliver in the product shape with
 * `type: "variation"` and `parent_id`) to `product.upserted` (pure). Grouped and external products have no
 * stock or price of their own in v1 of the contract, so they are refused (and parked) rather than guessed.
 */
export function toProductUpserted(store: StoreRef, currency: string, p: WooProduct): ProductUpserted {
  const what = `WooCommerce product ${p.id} ("${decodeEntities(p.name ?? '')}") of store "${store.storeId}" (tenant "${store.tenantId}")`;
  if (p.type !== 'simple' && p.type !== 'variable' && p.type !== 'variation') {
    throw new MappingRefusedError(
      'STORE_PRODUCT_TYPE_UNSUPPORTED',
      `${what} is of type "${p.type}", which Ledgerline does not sync (only simple, variable and variation products carry their own price and stock). Nothing to do unless the ERP needs it; then discard this parked delivery after creating the article by hand.`,
    );
  }
  const isVariation = p.type === 'variation';
  if (isVariation && !(p.parent_id > 0)) throw new MappingRefusedError('STORE_PRODUCT_INVALID', `${what} is a variation without parent_id; check the store's plugins, then replay.`);
  const modifiedAt = gmtToIso(p.date_modified_gmt);
  if (!modifiedAt) throw new MappingRefusedError('STORE_PRODUCT_INVALID', `${what} has no date_modified_gmt; check the store's plugins, then replay.`);
  const price = (v: string | undefined) => (textOrNull(v) === null ? null : { amount: String(v), currency });
  const manageStock = p.manage_stock === true;
  return {
    productRef: { tenantId: store.tenantId, storeId: store.storeId, productId: String(isVariation ? p.parent_id : p.id) },
    variationId: isVariation ? String(p.id) : null,
    parentId: p.parent_id > 0 ? String(p.parent_id) : null,
    sku: textOrNull(p.sku),
    name: decodeEntities(p.name),
    type: p.type as ProductType,
    status: p.status,
    currency,
    price: price(p.price),
    regularPrice: price(p.regular_price),
    salePrice: price(p.sale_price),
    taxClass: textOrNull(p.tax_class),
    manageStock,
    stockQuantity: manageStock && p.stock_quantity !== null && p.stock_quantity !== undefined ? String(p.stock_quantity) : null,
    modifiedAt,
  };
}
