import { dateFilter, sortRecords } from '../http/collection';
import { mergeAddress, mergeMeta } from '../store/record-updates';
import { EMPTY_ADDRESS, type CustomerRecord } from '../store/woo-records';
import type { WooStoreState } from '../store/woo-store.state';
import type { HookSink } from '../webhooks/request-hooks';
import { isObject, type Json } from '../wp/json-values';
import { WpError } from '../wp/wp-error';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Customers (WordPress users with the `customer` role) as WooCommerce's REST customers controller
 * keeps them: unique e-mail and username, no trash, `customer.*` hooks.
 */
export class CustomersService {
  constructor(private readonly state: WooStoreState) {}

  get(id: number): CustomerRecord | undefined {
    return this.state.customers.get(id);
  }

  /** Customers matching validated list params; WooCommerce sorts customers by name, ascending, by default. */
  list(params: Json): CustomerRecord[] {
    const email = typeof params['email'] === 'string' ? params['email'].toLowerCase() : undefined;
    const role = params['role'] ?? 'customer';
    const include = params['include'] as number[] | undefined;
    const exclude = params['exclude'] as number[] | undefined;
    const search = typeof params['search'] === 'string' ? params['search'].toLowerCase() : undefined;
    const inDates = dateFilter(params, this.state.clock);
    const matches = [...this.state.customers.values()].filter((c) => {
      if (email !== undefined && c.email.toLowerCase() !== email) return false;
      if (role !== 'all' && c.role !== role) return false;
      if (include && include.length > 0 && !include.includes(c.id)) return false;
      if (exclude && exclude.includes(c.id)) return false;
      if (search && !`${c.email} ${c.username} ${c.first_name} ${c.last_name}`.toLowerCase().includes(search)) return false;
      return inDates(c.dateCreated, c.dateModified);
    });
    const orderby = params['orderby'] ?? 'name';
    const key = (c: CustomerRecord): number | string => (orderby === 'id' ? c.id : orderby === 'registered_date' ? c.dateCreated.getTime() : c.username.toLowerCase());
    return sortRecords(matches, key, params['order'] ?? 'asc', orderby === 'include' ? include : undefined);
  }

  /**
   * `POST /customers`. Errors come from `wc_create_new_customer` (codes `registration-error-*`,
   * HTTP 400); the e-mail-exists message carries WooCommerce's HTML link, as a store sends it.
   */
  create(input: Json, hooks: HookSink, at?: Date): CustomerRecord {
    if (input['id'] !== undefined && input['id'] !== 0) throw new WpError(400, 'woocommerce_rest_customer_exists', 'Cannot create existing resource.');
    const email = typeof input['email'] === 'string' ? input['email'].trim() : '';
    if (!EMAIL.test(email)) throw new WpError(400, 'registration-error-invalid-email', 'Please provide a valid email address.');
    if (this.findByEmail(email)) {
      throw new WpError(400, 'registration-error-email-exists', 'An account is already registered with your email address. <a href="#" class="showlogin">Please log in.</a>');
    }
    let username = typeof input['username'] === 'string' ? input['username'].trim() : '';
    if (username !== '' && this.usernameTaken(username)) {
      throw new WpError(400, 'registration-error-username-exists', 'An account is already registered with that username. Please choose another.');
    }
    if (username === '') username = this.newUsername(email);
    const now = at ?? this.state.clock.now();
    const c: CustomerRecord = {
      id: this.state.nextUserId(),
      dateCreated: now,
      dateModified: now,
      email,
      first_name: '',
      last_name: '',
      role: 'customer',
      username,
      billing: { ...EMPTY_ADDRESS, email: '' },
      shipping: { ...EMPTY_ADDRESS },
      is_paying_customer: false,
      meta_data: [],
    };
    this.applyProps(c, input);
    this.state.customers.set(c.id, c);
    this.state.customerEmails.set(email.toLowerCase(), c.id);
    this.state.usernames.add(username.toLowerCase());
    hooks.fire('customer', 'created', c.id);
    return c;
  }

  /** `PUT /customers/<id>`; the username cannot change. */
  update(id: number, input: Json, hooks: HookSink): CustomerRecord {
    const c = this.state.customers.get(id);
    if (!c) throw new WpError(400, 'woocommerce_rest_customer_invalid_id', 'Invalid resource ID.');
    if (typeof input['username'] === 'string' && input['username'] !== c.username) throw new WpError(400, 'woocommerce_rest_customer_invalid_argument', "Username isn't editable.");
    if (typeof input['email'] === 'string' && input['email'] !== c.email) {
      const other = this.findByEmail(input['email']);
      if (!EMAIL.test(input['email']) || (other && other.id !== c.id)) throw new WpError(400, 'woocommerce_rest_customer_invalid_email', 'Email address is invalid.');
      this.state.customerEmails.delete(c.email.toLowerCase());
      c.email = input['email'];
      this.state.customerEmails.set(c.email.toLowerCase(), c.id);
    }
    this.applyProps(c, input);
    c.dateModified = this.state.clock.now();
    hooks.fire('customer', 'updated', c.id);
    return c;
  }

  /** `DELETE /customers/<id>?force=true`; customers cannot be trashed (501 without `force`). */
  delete(id: number, force: boolean, hooks: HookSink): CustomerRecord {
    if (!force) throw new WpError(501, 'woocommerce_rest_trash_not_supported', 'Customers do not support trashing.');
    const c = this.state.customers.get(id);
    if (!c) throw new WpError(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.');
    // delete_user fires before the user is gone, so the role check in should_deliver still passes.
    hooks.fire('customer', 'deleted', c.id);
    this.state.customers.delete(id);
    this.state.customerEmails.delete(c.email.toLowerCase());
    this.state.usernames.delete(c.username.toLowerCase());
    return c;
  }

  findByEmail(email: string): CustomerRecord | undefined {
    const id = this.state.customerEmails.get(email.trim().toLowerCase());
    return id === undefined ? undefined : this.state.customers.get(id);
  }

  private applyProps(c: CustomerRecord, input: Json): void {
    if (typeof input['first_name'] === 'string') c.first_name = input['first_name'];
    if (typeof input['last_name'] === 'string') c.last_name = input['last_name'];
    if (isObject(input['billing'])) c.billing = mergeAddress(c.billing, input['billing'], true);
    if (isObject(input['shipping'])) c.shipping = mergeAddress(c.shipping, input['shipping'], false);
    if (Array.isArray(input['meta_data'])) c.meta_data = mergeMeta(this.state, c.meta_data, input['meta_data']);
  }

  private usernameTaken(username: string): boolean {
    return this.state.usernames.has(username.toLowerCase());
  }

  /** `wc_create_new_customer_username`: the e-mail's local part, made unique with a number. */
  private newUsername(email: string): string {
    const base = email.split('@')[0].toLowerCase().replace(/[^a-z0-9._-]/g, '') || 'customer';
    if (!this.usernameTaken(base)) return base;
    let n = 2;
    while (this.usernameTaken(`${base}${n}`)) n++;
    return `${base}${n}`;
  }
}
