import type { Address, CanonicalOrder, LineTax } from '@ledgerline/contracts';
import type { WooBillingAddress, WooLineTax, WooOrder, WooShippingAddress } from '@ledgerline/woocommerce';
import { MappingRefusedError } from './mapping-refused.error';
import { decodeEntities, gmtToIso, idOrNull, metaText, numberToDecimal, round4, textOrNull } from './woo-values';

/** Which store an order belongs to: the orderRef's tenant and store. */
export interface StoreRef {
  tenantId: string;
  storeId: string;
}

/** Describes an order for operator messages: `order #1234 (id 1234) of store "nordic-shop"`. */
export function describeOrder(store: StoreRef, order: Pick<WooOrder, 'id' | 'number'>): string {
  const number = order.number && order.number !== String(order.id) ? `#${order.number} (id ${order.id})` : `#${order.id}`;
  return `order ${number} of store "${store.storeId}" (tenant "${store.tenantId}")`;
}

/** Tax shares with per-rate amounts rounded to 4 digits; `""` subtotals (shipping, fees) become null. */
export function lineTaxes(taxes: readonly WooLineTax[] | undefined, currency: string, sign: (v: string) => string = (v) => v): LineTax[] {
  return (taxes ?? []).map((t) => ({
    rateId: String(t.id),
    total: { amount: round4(sign(t.total)), currency },
    subtotal: textOrNull(t.subtotal) === null ? null : { amount: round4(sign(t.subtotal)), currency },
  }));
}

function address(a: WooBillingAddress | WooShippingAddress, phone: string | null): Address {
  return {
    firstName: textOrNull(a.first_name),
    lastName: textOrNull(a.last_name),
    company: textOrNull(a.company),
    address1: textOrNull(a.address_1),
    address2: textOrNull(a.address_2),
    city: textOrNull(a.city),
    state: textOrNull(a.state),
    postcode: textOrNull(a.postcode),
    country: (a.country ?? '').toUpperCase(),
    phone,
  };
}

/**
 * Maps a WooCommerce order (REST or webhook body) to the canonical order (pure). Rules from libs/contracts/README.md:
 * `*_gmt` dates + "Z", "" → null, ids as strings, customer_id 0 → null, HTML entities decoded, per-rate taxes
 * rounded to 4 digits. Throws MappingRefusedError when the order cannot be booked (no billing e-mail or country).
 */
export function toCanonicalOrder(store: StoreRef, o: WooOrder): CanonicalOrder {
  const what = describeOrder(store, o);
  const email = textOrNull(o.billing?.email);
  if (!email) {
    throw new MappingRefusedError(
      'STORE_ORDER_EMAIL_MISSING',
      `WooCommerce ${what} has no billing e-mail, which ERPs need to find or create the customer. Add the e-mail on the order in WooCommerce (Orders → edit → Billing) and the next sweep picks it up, or replay this parked delivery after fixing it.`,
    );
  }
  if (!textOrNull(o.billing?.country)) {
    throw new MappingRefusedError(
      'STORE_ORDER_COUNTRY_MISSING',
      `WooCommerce ${what} has no billing country, which decides its VAT treatment in the ERP. Set the billing country on the order in WooCommerce, then replay this parked delivery.`,
    );
  }
  const c = o.currency;
  const money = (amount: string) => ({ amount, currency: c });
  const shippingHasAddress = textOrNull(o.shipping?.country) !== null || textOrNull(o.shipping?.address_1) !== null;
  const renewal = metaText(o.meta_data, '_subscription_renewal');
  const createdAt = gmtToIso(o.date_created_gmt);
  const modifiedAt = gmtToIso(o.date_modified_gmt);
  if (!createdAt || !modifiedAt) {
    throw new MappingRefusedError('STORE_ORDER_INVALID', `WooCommerce ${what} has no date_created_gmt or date_modified_gmt; a plugin may be reshaping the REST answer. Check the store's plugins, then replay.`);
  }
  const order: CanonicalOrder = {
    orderRef: { tenantId: store.tenantId, storeId: store.storeId, orderId: String(o.id), orderNumber: textOrNull(o.number) ?? String(o.id) },
    status: o.status,
    currency: c,
    pricesIncludeTax: o.prices_include_tax === true,
    createdAt,
    modifiedAt,
    customer: {
      customerId: idOrNull(o.customer_id),
      email,
      firstName: textOrNull(o.billing.first_name),
      lastName: textOrNull(o.billing.last_name),
      company: textOrNull(o.billing.company),
      vatNumber: metaText(o.meta_data, '_billing_vat_number', '_vat_number', 'vat_number', '_billing_eu_vat_number'),
      phone: textOrNull(o.billing.phone),
    },
    billingAddress: address(o.billing, textOrNull(o.billing.phone)),
    shippingAddress: shippingHasAddress ? address(o.shipping, textOrNull(o.shipping.phone)) : null,
    lines: (o.line_items ?? []).map((l) => ({
      lineId: String(l.id),
      productId: idOrNull(l.product_id),
      variationId: idOrNull(l.variation_id),
      sku: textOrNull(l.sku),
      name: decodeEntities(l.name),
      quantity: String(l.quantity),
      taxClass: textOrNull(l.tax_class),
      unitPrice: money(numberToDecimal(Number(l.price))),
      subtotal: money(l.subtotal),
      subtotalTax: money(l.subtotal_tax),
      total: money(l.total),
      totalTax: money(l.total_tax),
      taxes: lineTaxes(l.taxes, c),
    })),
    shippingLines: (o.shipping_lines ?? []).map((s) => ({
      lineId: String(s.id),
      methodId: textOrNull(s.method_id),
      instanceId: textOrNull(s.instance_id === '0' ? '' : s.instance_id),
      title: decodeEntities(textOrNull(s.method_title) ?? s.method_id ?? 'Shipping'),
      total: money(s.total),
      totalTax: money(s.total_tax),
      taxes: lineTaxes(s.taxes, c),
    })),
    feeLines: (o.fee_lines ?? []).map((f) => ({
      lineId: String(f.id),
      name: decodeEntities(f.name),
      taxClass: textOrNull(f.tax_class),
      taxStatus: f.tax_status === 'none' ? 'none' : 'taxable',
      total: money(f.total),
      totalTax: money(f.total_tax),
      taxes: lineTaxes(f.taxes, c),
    })),
    couponLines: (o.coupon_lines ?? []).map((k) => ({
      lineId: String(k.id),
      code: k.code,
      discount: money(k.discount),
      discountTax: money(k.discount_tax),
      discountType: textOrNull(k.discount_type),
    })),
    taxLines: (o.tax_lines ?? []).map((t) => ({
      lineId: String(t.id),
      rateId: String(t.rate_id),
      rateCode: t.rate_code,
      label: decodeEntities(t.label),
      compound: t.compound === true,
      ratePercent: t.rate_percent === undefined || t.rate_percent === null ? null : numberToDecimal(Number(t.rate_percent)),
      taxTotal: money(t.tax_total),
      shippingTaxTotal: money(t.shipping_tax_total),
    })),
    totals: {
      discount: money(o.discount_total),
      discountTax: money(o.discount_tax),
      shipping: money(o.shipping_total),
      shippingTax: money(o.shipping_tax),
      totalTax: money(o.total_tax),
      total: money(o.total),
    },
    paymentMethod: textOrNull(o.payment_method)
      ? { id: o.payment_method, title: decodeEntities(textOrNull(o.payment_method_title) ?? o.payment_method), transactionId: textOrNull(o.transaction_id) }
      : null,
    paidAt: gmtToIso(o.date_paid_gmt),
  };
  if (renewal) order.metadata = { subscriptionRenewal: { subscriptionId: renewal } };
  return order;
}
