import type { Address, CustomerUpserted } from '@ledgerline/contracts';
import type { WooBillingAddress, WooCustomer, WooShippingAddress } from '@ledgerline/woocommerce';
import { MappingRefusedError } from './mapping-refused.error';
import type { StoreRef } from './order.mapper';
import { gmtToIso, metaText, textOrNull } from './woo-values';

function addressOrNull(a: WooBillingAddress | WooShippingAddress | undefined, phone: string | null): Address | null {
  if (!a || textOrNull(a.country) === null) return null;
  return {
    firstName: textOrNull(a.first_name),
    lastName: textOrNull(a.last_name),
    company: textOrNull(a.company),
    address1: textOrNull(a.address_1),
    address2: textOrNull(a.address_2),
    city: textOrNull(a.city),
    state: textOrNull(a.state),
    postcode: textOrNull(a.postcode),
    country: a.country.toUpperCase(),
    phone,
  };
}

/** The version of a customer: WooCommerce leaves `date_modified_gmt` null until the first change, so creation counts then. */
export function customerVersion(c: WooCustomer): string | null {
  return c.date_modified_gmt ?? c.date_created_gmt ?? null;
}

/** Maps a WooCommerce customer to `customer.upserted` (pure); throws MappingRefusedError without an e-mail. */
export function toCustomerUpserted(store: StoreRef, c: WooCustomer): CustomerUpserted {
  const email = textOrNull(c.email) ?? textOrNull(c.billing?.email);
  if (!email) {
    throw new MappingRefusedError(
      'STORE_CUSTOMER_EMAIL_MISSING',
      `WooCommerce customer ${c.id} of store "${store.storeId}" (tenant "${store.tenantId}") has no e-mail, the key ERPs find customers by. Add one under Users in WordPress, then replay this parked delivery.`,
    );
  }
  const modifiedAt = gmtToIso(customerVersion(c));
  if (!modifiedAt) throw new MappingRefusedError('STORE_CUSTOMER_INVALID', `WooCommerce customer ${c.id} of store "${store.storeId}" has no creation or modification date; check the store's plugins, then replay.`);
  const billingPhone = textOrNull(c.billing?.phone);
  return {
    customerRef: { tenantId: store.tenantId, sourceSystem: 'woocommerce', storeId: store.storeId, erpConnectionId: null, customerId: String(c.id) },
    email,
    firstName: textOrNull(c.first_name) ?? textOrNull(c.billing?.first_name),
    lastName: textOrNull(c.last_name) ?? textOrNull(c.billing?.last_name),
    company: textOrNull(c.billing?.company),
    vatNumber: metaText(c.meta_data, 'billing_vat_number', '_billing_vat_number', 'vat_number'),
    orgNumber: metaText(c.meta_data, 'billing_org_number', '_billing_org_number'),
    phone: billingPhone,
    billingAddress: addressOrNull(c.billing, billingPhone),
    shippingAddress: addressOrNull(c.shipping, textOrNull(c.shipping?.phone)),
    modifiedAt,
  };
}
