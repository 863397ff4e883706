import { Address, ADDRESS_EXPECTATION } from '../common/address';
import { EventTypes } from '../event-types';
import { IsEmailAddress, IsOneOf, IsText, IsUtcTimestamp, NestedObject, rule } from '../validation/rules';

/** Where a customer record lives. */
export type CustomerSourceSystem = 'woocommerce' | 'erp';

const isBlank = (value: unknown): boolean => value === null;
const isText = (value: unknown): boolean => typeof value === 'string' && value.trim().length > 0;

/**
 * Identifies a customer record in its source system: a store's customer (`storeId` set) or an ERP's
 * (`erpConnectionId` set), never both.
 */
export class CustomerRef {
  @IsText() tenantId!: string;
  @IsOneOf(['woocommerce', 'erp']) sourceSystem!: CustomerSourceSystem;
  /** The store the customer registered in; null when `sourceSystem` is `erp`. */
  @rule(
    'isStoreIdForSource',
    'the store\'s id (a non-empty string) when sourceSystem is "woocommerce", and null when it is "erp"',
    (value, args) => ((args.object as CustomerRef).sourceSystem === 'erp' ? isBlank(value) : isText(value)),
  )
  storeId!: string | null;
  /** The ERP connection that holds the customer; null when `sourceSystem` is `woocommerce`. */
  @rule(
    'isErpConnectionIdForSource',
    'the ERP connection id (a non-empty string) when sourceSystem is "erp", and null when it is "woocommerce"',
    (value, args) => ((args.object as CustomerRef).sourceSystem === 'erp' ? isText(value) : isBlank(value)),
  )
  erpConnectionId!: string | null;
  /** The source system's customer id or number, as a string. */
  @IsText() customerId!: string;
}

/**
 * `customer.upserted` v1: a customer was created or changed in a store or an ERP; the payload is the
 * whole record. Consumers find-or-create by email, VAT number and organisation number, so no duplicates appear.
 */
export class CustomerUpserted {
  static readonly type = EventTypes.customerUpserted;
  static readonly schemaVersion = 1;

  @NestedObject(() => CustomerRef, 'an object like {"tenantId": "...", "sourceSystem": "woocommerce", "storeId": "...", "erpConnectionId": null, "customerId": "25"}')
  customerRef!: CustomerRef;
  @IsEmailAddress() email!: string;
  @IsText({ nullable: true }) firstName!: string | null;
  @IsText({ nullable: true }) lastName!: string | null;
  @IsText({ nullable: true }) company!: string | null;
  /** EU VAT id or the country's equivalent. */
  @IsText({ nullable: true }) vatNumber!: string | null;
  /** Company registration number (e.g. Swedish organisationsnummer). */
  @IsText({ nullable: true }) orgNumber!: string | null;
  @IsText({ nullable: true }) phone!: string | null;
  @NestedObject(() => Address, ADDRESS_EXPECTATION, { nullable: true }) billingAddress!: Address | null;
  @NestedObject(() => Address, ADDRESS_EXPECTATION, { nullable: true }) shippingAddress!: Address | null;
  /** The source's last-modified time (the record's version), or when it was read if the source keeps none. */
  @IsUtcTimestamp() modifiedAt!: string;

  /** Gives the event built from `fields`; nested values may be plain objects. */
  constructor(fields: CustomerUpserted) {
    // class-transformer instantiates with no arguments before copying properties in.
    if (fields) Object.assign(this, fields);
  }
}
