import { IsText } from '../validation/rules';

/**
 * Identifies one order of one store of one tenant; everything about that order shares the Kafka key
 * built from it (`orderKey`), so placed, updated, refunded and cancelled stay in order.
 */
export class OrderRef {
  @IsText() tenantId!: string;
  @IsText() storeId!: string;
  /** The store's own order id, as a string (`"727"`). */
  @IsText() orderId!: string;
  /** The number the customer sees (`"727"`, or a sequential-number plugin's `"WC-2024-0042"`). */
  @IsText() orderNumber!: string;
}
