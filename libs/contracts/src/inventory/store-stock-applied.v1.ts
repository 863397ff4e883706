import { EventTypes } from '../event-types';
import { IsDecimalString, IsPositiveInteger, IsText, IsTextList, IsUtcTimestamp, NestedList } from '../validation/rules';

/** A SKU whose store quantity was corrected, with what the store showed before. */
export class StockCorrection {
  @IsText() sku!: string;
  /** What the store showed; null when the store did not manage stock for it. */
  @IsDecimalString({ nullable: true, example: '7' }) was!: string | null;
  @IsDecimalString({ nonNegative: true, maxFractionDigits: 0, example: '12' }) now!: string;
}

/** A SKU the store refused to update, with the store's own reason. */
export class StockWriteFailure {
  @IsText() sku!: string;
  @IsText() code!: string;
  @IsText() message!: string;
}

/**
 * `store-stock.applied` v1: store-gateway's report on one part of a `store-stock.requested`: what it wrote, what was
 * already right, which SKUs the store does not have, which writes the store refused, and (after the last part of a
 * complete request) which store SKUs the request did not name. Keyed `tenant:store`.
 */
export class StoreStockApplied {
  static readonly type = EventTypes.storeStockApplied;
  static readonly schemaVersion = 1;

  @IsText() tenantId!: string;
  @IsText() storeId!: string;
  @IsText() requestId!: string;
  @IsPositiveInteger() part!: number;
  @IsPositiveInteger() parts!: number;
  /** SKUs written, with what the store showed before. */
  @NestedList(() => StockCorrection, 'a list of corrections like [{"sku": "TS-1", "was": "7", "now": "12"}]', 'a correction like {"sku": "TS-1", "was": "7", "now": "12"}')
  written!: StockCorrection[];
  /** SKUs left alone because the store already showed the requested quantity. */
  @IsDecimalString({ nonNegative: true, maxFractionDigits: 0, example: '40' }) unchangedCount!: string;
  /** Requested SKUs that no product or variation of the store has (after refreshing the SKU cache). */
  @IsTextList('["TS-404"]') unknownSkus!: string[];
  @NestedList(() => StockWriteFailure, 'a list of failures like [{"sku": "TS-1", "code": "woocommerce_rest_invalid_id", "message": "..."}]', 'a failure like {"sku": "TS-1", "code": "...", "message": "..."}')
  failed!: StockWriteFailure[];
  /** Store SKUs with managed stock that the complete request did not name; only on the last part of a complete request, else empty. */
  @IsTextList('["OLD-7"]') storeOnlySkus!: string[];
  @IsUtcTimestamp() appliedAt!: string;

  /** Gives the event built from `fields`. */
  constructor(fields: StoreStockApplied) {
    if (fields) Object.assign(this, fields);
  }
}
