import { EventTypes } from '../event-types';
import { IsDecimalString, IsFlag, IsOneOf, IsPositiveInteger, IsText, IsUtcTimestamp, NestedList } from '../validation/rules';

/** Why inventory-sync asks for a stock write. */
export const StockRequestReasons = ['change', 'full-sync', 'reconciliation'] as const;
/** One of {@link StockRequestReasons}. */
export type StockRequestReason = (typeof StockRequestReasons)[number];

/** The most items one `store-stock.requested` event carries; larger requests are split into parts. */
export const STORE_STOCK_ITEMS_PER_EVENT = 1000;

/** One SKU's quantity a store should show. */
export class StoreStockItem {
  @IsText() sku!: string;
  /** Whole units available to sell in this store, zero or more (`"0"` shows the product out of stock). */
  @IsDecimalString({ nonNegative: true, maxFractionDigits: 0, example: '12' }) quantity!: string;
}

/**
 * `store-stock.requested` v1: inventory-sync (the stock master logic) asks store-gateway to make one store show these
 * quantities. store-gateway resolves each SKU to a product or variation id and writes through the batch endpoints,
 * then reports with `store-stock.applied`. Keyed `tenant:store`, so the newest request for a store is applied last.
 *
 * With `reason` `reconciliation`, store-gateway first reads the store's stock and writes only the SKUs that drifted;
 * the parts of one request (`part` of `parts`) together list every SKU the ERP knows for that store, so after the last
 * part the gateway can also list store SKUs that no ERP article has.
 */
export class StoreStockRequested {
  static readonly type = EventTypes.storeStockRequested;
  static readonly schemaVersion = 1;

  @IsText() tenantId!: string;
  @IsText() storeId!: string;
  /** Identifies the request across its parts; `store-stock.applied` echoes it. */
  @IsText() requestId!: string;
  @IsOneOf(StockRequestReasons) reason!: StockRequestReason;
  /** 1-based part number, and the number of parts of this request. */
  @IsPositiveInteger() part!: number;
  @IsPositiveInteger() parts!: number;
  /** True when the request as a whole names every SKU the ERP has for this store (full sync, reconciliation). */
  @IsFlag() complete!: boolean;
  @NestedList(() => StoreStockItem, 'a list of items like [{"sku": "TS-1", "quantity": "12"}]', 'an item like {"sku": "TS-1", "quantity": "12"}')
  items!: StoreStockItem[];
  /** When inventory-sync computed these quantities. */
  @IsUtcTimestamp() computedAt!: string;

  /** Gives the event built from `fields`. */
  constructor(fields: StoreStockRequested) {
    if (fields) Object.assign(this, fields);
  }
}
