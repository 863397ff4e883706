import { EventTypes } from '../event-types';
import { Money, MONEY_EXPECTATION } from '../money';
import { IsCurrencyCode, IsDecimalString, IsFlag, IsOneOf, IsSlug, IsText, IsUtcTimestamp, NestedObject, rule } from '../validation/rules';

/** The product kinds carried by `product.upserted` v1. */
export type ProductType = 'simple' | 'variable' | 'variation';

/** Identifies a product in a store; variations use their parent's `productId`, so a whole product family shares one key. */
export class ProductRef {
  @IsText() tenantId!: string;
  @IsText() storeId!: string;
  /** The store's product id; for a variation, the parent (variable) product's id, as on order lines. */
  @IsText() productId!: string;
}

/**
 * `product.upserted` v1: a product or variation was created or changed in a store; the payload is the
 * whole record. `(productRef.productId, variationId)` is the same pair order lines carry.
 */
export class ProductUpserted {
  static readonly type = EventTypes.productUpserted;
  static readonly schemaVersion = 1;

  @NestedObject(() => ProductRef, 'an object like {"tenantId": "...", "storeId": "...", "productId": "22"}')
  productRef!: ProductRef;
  /** The variation's id when `type` is `variation`; null otherwise. */
  @rule(
    'isVariationIdForType',
    'the variation\'s id (a non-empty string) when type is "variation", and null otherwise',
    (value, args) =>
      (args.object as ProductUpserted).type === 'variation' ? typeof value === 'string' && value.trim().length > 0 : value === null,
  )
  variationId!: string | null;
  /** The store's parent: the variable product for a variation (equal to `productRef.productId`), the grouped product for a grouped child; null otherwise. */
  @IsText({ nullable: true }) parentId!: string | null;
  /** The key ERPs match products and stock by; null when the store has none set. */
  @IsText({ nullable: true }) sku!: string | null;
  @IsText() name!: string;
  @IsOneOf(['simple', 'variable', 'variation']) type!: ProductType;
  /** The store's status slug: `publish`, `draft`, `pending`, `private`. */
  @IsSlug('publish') status!: string;
  /** The store currency all prices are in. */
  @IsCurrencyCode() currency!: string;
  /** The current selling price; null when the store has none (a variable product without priced variations). */
  @NestedObject(() => Money, MONEY_EXPECTATION, { nullable: true }) price!: Money | null;
  @NestedObject(() => Money, MONEY_EXPECTATION, { nullable: true }) regularPrice!: Money | null;
  /** Null when not on sale. */
  @NestedObject(() => Money, MONEY_EXPECTATION, { nullable: true }) salePrice!: Money | null;
  /** The store's tax class; null for the standard class. */
  @IsText({ nullable: true }) taxClass!: string | null;
  /** Whether the store tracks stock for this item. */
  @IsFlag() manageStock!: boolean;
  /** Units in stock as the store counts them (negative when backordered); null when stock is not managed here. */
  @IsDecimalString({ example: '12', nullable: true }) stockQuantity!: string | null;
  /** The store's last-modified time: the record's version. */
  @IsUtcTimestamp() modifiedAt!: string;

  /** Gives the event built from `fields`; nested values may be plain objects. */
  constructor(fields: ProductUpserted) {
    // class-transformer instantiates with no arguments before copying properties in.
    if (fields) Object.assign(this, fields);
  }
}
