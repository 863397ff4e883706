/** Codes of WooCommerce payloads store-gateway cannot turn into canonical events; stable forever (STYLE.md §3). */
export type MappingRefusedCode =
  | 'STORE_ORDER_EMAIL_MISSING'
  | 'STORE_ORDER_COUNTRY_MISSING'
  | 'STORE_ORDER_INVALID'
  | 'STORE_REFUND_INVALID'
  | 'STORE_CUSTOMER_EMAIL_MISSING'
  | 'STORE_CUSTOMER_INVALID'
  | 'STORE_PRODUCT_TYPE_UNSUPPORTED'
  | 'STORE_PRODUCT_INVALID'
  | 'STORE_PAYLOAD_UNEXPECTED';

/**
 * A WooCommerce payload that cannot be mapped: permanent until someone changes the store's data (or our mapping).
 * The delivery is parked with `code` and `operatorMessage`, never dropped.
 */
export class MappingRefusedError extends Error {
  readonly kind = 'permanent' as const;

  constructor(
    readonly code: MappingRefusedCode,
    readonly operatorMessage: string,
  ) {
    super(operatorMessage);
    this.name = 'MappingRefusedError';
  }
}
