import { EventTypes } from '../event-types';
import { IsDecimalString, IsSlug, IsText, IsUtcTimestamp } from '../validation/rules';

/**
 * `stock-level.changed` v1: an ERP (the stock master) reports a SKU's level in one warehouse.
 * It belongs to no store (envelope `storeId` is null); inventory-sync turns it into per-store quantities.
 */
export class StockLevelChanged {
  static readonly type = EventTypes.stockLevelChanged;
  static readonly schemaVersion = 1;

  @IsText() tenantId!: string;
  @IsText() sku!: string;
  /** The ERP's warehouse or stock-point code; null when the ERP keeps one stock figure per item. */
  @IsText({ nullable: true }) warehouseCode!: string | null;
  /** Units on hand; a connector reports an ERP's negative stock as `"0"`. */
  @IsDecimalString({ nonNegative: true, example: '12' }) quantity!: string;
  /** Units the ERP has already promised to orders, if it reports that. */
  @IsDecimalString({ nonNegative: true, example: '2', optional: true }) reserved?: string;
  /** The ERP, as its connector is named: `fortnox`, `visma-net`, `business-central`, ... */
  @IsSlug('fortnox') erp!: string;
  @IsText() erpConnectionId!: string;
  /** When the connector read the level from the ERP; later reads win. */
  @IsUtcTimestamp() readAt!: string;

  /** Gives the event built from `fields`. */
  constructor(fields: StockLevelChanged) {
    // class-transformer instantiates with no arguments before copying properties in.
    if (fields) Object.assign(this, fields);
  }
}
