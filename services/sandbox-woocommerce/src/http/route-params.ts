import { ORDER_STATUSES } from '../orders/order-statuses';
import { COLLECTION_PARAMS, type ParamSpecs } from '../wp/wp-params.validator';

/** `GET /orders` parameters (WC_REST_Orders_Controller::get_collection_params). */
export const ORDER_LIST_PARAMS: ParamSpecs = {
  ...COLLECTION_PARAMS,
  orderby: { type: 'string', enum: ['date', 'id', 'include', 'title', 'slug', 'modified'], default: 'date' },
  status: { type: 'array', items: { type: 'string', enum: ['any', 'trash', ...ORDER_STATUSES] }, default: ['any'] },
  customer: { type: 'integer' },
  product: { type: 'integer' },
};

const PRODUCT_FILTERS: ParamSpecs = {
  status: { type: 'string', enum: ['any', 'future', 'trash', 'draft', 'pending', 'private', 'publish'], default: 'any' },
  sku: { type: 'string' },
  on_sale: { type: 'boolean' },
  min_price: { type: 'string' },
  max_price: { type: 'string' },
  stock_status: { type: 'string', enum: ['instock', 'outofstock', 'onbackorder'] },
};

/** `GET /products` parameters. */
export const PRODUCT_LIST_PARAMS: ParamSpecs = {
  ...COLLECTION_PARAMS,
  ...PRODUCT_FILTERS,
  orderby: { type: 'string', enum: ['date', 'id', 'include', 'title', 'slug', 'price', 'popularity', 'rating', 'menu_order', 'modified'], default: 'date' },
  type: { type: 'string', enum: ['simple', 'grouped', 'external', 'variable'] },
  featured: { type: 'boolean' },
  category: { type: 'string' },
};

/** `GET /products/<id>/variations` parameters. */
export const VARIATION_LIST_PARAMS: ParamSpecs = {
  ...COLLECTION_PARAMS,
  ...PRODUCT_FILTERS,
  orderby: { type: 'string', enum: ['date', 'id', 'include', 'title', 'slug', 'modified', 'menu_order'], default: 'date' },
};

/** `GET /customers` parameters; customers sort by name, ascending, by default. */
export const CUSTOMER_LIST_PARAMS: ParamSpecs = {
  context: COLLECTION_PARAMS['context'],
  page: COLLECTION_PARAMS['page'],
  per_page: COLLECTION_PARAMS['per_page'],
  search: COLLECTION_PARAMS['search'],
  exclude: COLLECTION_PARAMS['exclude'],
  include: COLLECTION_PARAMS['include'],
  offset: COLLECTION_PARAMS['offset'],
  _fields: COLLECTION_PARAMS['_fields'],
  order: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
  orderby: { type: 'string', enum: ['id', 'include', 'name', 'registered_date'], default: 'name' },
  email: { type: 'email' },
  role: { type: 'string', enum: ['all', 'administrator', 'editor', 'author', 'contributor', 'subscriber', 'customer', 'shop_manager'], default: 'customer' },
};

/** `GET /webhooks` parameters. */
export const WEBHOOK_LIST_PARAMS: ParamSpecs = {
  context: COLLECTION_PARAMS['context'],
  page: COLLECTION_PARAMS['page'],
  per_page: COLLECTION_PARAMS['per_page'],
  search: COLLECTION_PARAMS['search'],
  after: COLLECTION_PARAMS['after'],
  before: COLLECTION_PARAMS['before'],
  exclude: COLLECTION_PARAMS['exclude'],
  include: COLLECTION_PARAMS['include'],
  offset: COLLECTION_PARAMS['offset'],
  order: COLLECTION_PARAMS['order'],
  _fields: COLLECTION_PARAMS['_fields'],
  orderby: { type: 'string', enum: ['date', 'id', 'title'], default: 'date' },
  status: { type: 'string', enum: ['all', 'active', 'paused', 'disabled'], default: 'all' },
};

/** `GET /orders/<id>/refunds` parameters. */
export const REFUND_LIST_PARAMS: ParamSpecs = { ...COLLECTION_PARAMS, orderby: { type: 'string', enum: ['date', 'id', 'include', 'title', 'slug', 'modified'], default: 'date' } };

/** Single-item GET parameters. */
export const ITEM_PARAMS: ParamSpecs = { dp: COLLECTION_PARAMS['dp'], _fields: COLLECTION_PARAMS['_fields'], context: COLLECTION_PARAMS['context'] };

/** DELETE parameters. */
export const DELETE_PARAMS: ParamSpecs = { force: { type: 'boolean', default: false } };

/** Body fields whose types WordPress checks on `POST/PUT /orders` (the schema's `type`s). */
export const ORDER_BODY: ParamSpecs = {
  parent_id: { type: 'integer' },
  status: { type: 'string', enum: ORDER_STATUSES },
  currency: { type: 'string' },
  customer_id: { type: 'integer' },
  customer_note: { type: 'string' },
  billing: { type: 'object' },
  shipping: { type: 'object' },
  payment_method: { type: 'string' },
  payment_method_title: { type: 'string' },
  transaction_id: { type: 'string' },
  meta_data: { type: 'array' },
  line_items: { type: 'array' },
  shipping_lines: { type: 'array' },
  fee_lines: { type: 'array' },
  coupon_lines: { type: 'array' },
  set_paid: { type: 'boolean' },
};

const STOCK_AND_PRICE: ParamSpecs = {
  sku: { type: 'string' },
  regular_price: { type: 'string' },
  sale_price: { type: 'string' },
  virtual: { type: 'boolean' },
  downloadable: { type: 'boolean' },
  tax_status: { type: 'string', enum: ['taxable', 'shipping', 'none'] },
  tax_class: { type: 'string' },
  manage_stock: { type: 'boolean' },
  stock_quantity: { type: 'integer' },
  stock_status: { type: 'string', enum: ['instock', 'outofstock', 'onbackorder'] },
  backorders: { type: 'string', enum: ['no', 'notify', 'yes'] },
  low_stock_amount: { type: 'integer', nullable: true },
  weight: { type: 'string' },
  dimensions: { type: 'object' },
  shipping_class: { type: 'string' },
  menu_order: { type: 'integer' },
  meta_data: { type: 'array' },
  description: { type: 'string' },
  status: { type: 'string', enum: ['draft', 'pending', 'private', 'publish', 'future'] },
};

/** Body fields checked on `POST/PUT /products`. */
export const PRODUCT_BODY: ParamSpecs = {
  ...STOCK_AND_PRICE,
  name: { type: 'string' },
  slug: { type: 'string' },
  type: { type: 'string', enum: ['simple', 'grouped', 'external', 'variable'] },
  featured: { type: 'boolean' },
  catalog_visibility: { type: 'string', enum: ['visible', 'catalog', 'search', 'hidden'] },
  short_description: { type: 'string' },
  sold_individually: { type: 'boolean' },
  categories: { type: 'array' },
  images: { type: 'array' },
  attributes: { type: 'array' },
  default_attributes: { type: 'array' },
};

/** Body fields checked on `POST/PUT /products/<id>/variations`. */
export const VARIATION_BODY: ParamSpecs = { ...STOCK_AND_PRICE, image: { type: 'object' }, attributes: { type: 'array' } };

/** Body fields checked on `POST/PUT /customers`. */
export const CUSTOMER_BODY: ParamSpecs = {
  email: { type: 'email' },
  first_name: { type: 'string' },
  last_name: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  billing: { type: 'object' },
  shipping: { type: 'object' },
  meta_data: { type: 'array' },
};

const WEBHOOK_FIELDS: ParamSpecs = {
  name: { type: 'string' },
  status: { type: 'string', enum: ['active', 'paused', 'disabled'] },
  topic: { type: 'string' },
  secret: { type: 'string' },
  delivery_url: { type: 'string' },
};

/** Body of `POST /webhooks`: `topic` and `delivery_url` are required arguments of the route. */
export const WEBHOOK_CREATE_BODY: ParamSpecs = { ...WEBHOOK_FIELDS, topic: { type: 'string', required: true }, delivery_url: { type: 'string', required: true } };

/** Body of `PUT /webhooks/<id>`. */
export const WEBHOOK_UPDATE_BODY: ParamSpecs = WEBHOOK_FIELDS;

/** Body of `POST /orders/<id>/refunds`. */
export const REFUND_BODY: ParamSpecs = {
  amount: { type: 'string' },
  reason: { type: 'string' },
  refunded_by: { type: 'integer' },
  meta_data: { type: 'array' },
  line_items: { type: 'array' },
  api_refund: { type: 'boolean', default: true },
  api_restock: { type: 'boolean', default: true },
};
