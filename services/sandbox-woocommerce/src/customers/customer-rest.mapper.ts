import { createHash } from 'node:crypto';
import { billingToRest, link, restUrl, shippingToRest, type RestContext } from '../store/rest-context';
import type { CustomerRecord } from '../store/woo-records';

/** Returns the customer as `GET /wc/v3/customers/<id>` prints it (customer.json). */
export function customerToRest(c: CustomerRecord, ctx: RestContext): Record<string, unknown> {
  const gravatar = createHash('md5').update(c.email.trim().toLowerCase()).digest('hex');
  return {
    id: c.id,
    date_created: ctx.clock.local(c.dateCreated),
    date_created_gmt: ctx.clock.gmt(c.dateCreated),
    date_modified: ctx.clock.local(c.dateModified),
    date_modified_gmt: ctx.clock.gmt(c.dateModified),
    email: c.email,
    first_name: c.first_name,
    last_name: c.last_name,
    role: c.role,
    username: c.username,
    billing: billingToRest(c.billing),
    shipping: shippingToRest(c.shipping),
    is_paying_customer: c.is_paying_customer,
    avatar_url: `https://secure.gravatar.com/avatar/${gravatar}?s=96`,
    meta_data: c.meta_data.map((x) => ({ ...x })),
    _links: { self: link(restUrl(ctx, `customers/${c.id}`)), collection: link(restUrl(ctx, 'customers')) },
  };
}
