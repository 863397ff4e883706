import { EventTypes } from '../event-types';
import { IsFlag, IsOneOf, IsPlainObject, IsPositiveInteger, IsText, IsUtcTimestamp } from '../validation/rules';

/**
 * The kinds of configuration the control plane distributes, each one record per (tenant, kind, subject):
 * - `tenant`: the tenant's name and status; subject = tenant id.
 * - `store`: a store's site URL, currency, feeding ERP connection and flows switched on; subject = store id.
 * - `erp-connection`: an ERP connection's ERP, status and token expiry (never its tokens); subject = connection id.
 * - `mappings`: the tenant's ERP mapping (tax codes, payment, shipping and fee accounts); subject = ERP connection id.
 */
export const ControlConfigKinds = ['tenant', 'store', 'erp-connection', 'mappings'] as const;
/** One of {@link ControlConfigKinds}. */
export type ControlConfigKind = (typeof ControlConfigKinds)[number];

/**
 * `control-config.published` v1: the control plane's current configuration of one subject, as a whole (not a diff),
 * on the compacted topic `ledgerline.control.config.v1` keyed `tenant:kind:subject`, so a service that reads the
 * topic from the beginning ends with the latest record per key and never calls the control plane per event
 * (docs/adr/0006-configuration-distribution.md). `version` grows by one per change of the key; a consumer ignores a
 * record whose version is not above the one it holds. `deleted` records replace tombstones (the outbox cannot write
 * null values). Secrets (store keys, ERP tokens) never travel here.
 */
export class ControlConfigPublished {
  static readonly type = EventTypes.controlConfigPublished;
  static readonly schemaVersion = 1;

  @IsText() tenantId!: string;
  @IsOneOf(ControlConfigKinds) kind!: ControlConfigKind;
  /** What the record configures: the tenant, store or ERP connection id. */
  @IsText() subjectId!: string;
  @IsPositiveInteger() version!: number;
  @IsFlag() deleted!: boolean;
  /** The whole configuration of the subject; its shape is documented per kind in services/control-plane/README.md. */
  @IsPlainObject('the configuration as a JSON object, like {"flows": {"orders": true}}') data!: Record<string, unknown>;
  /** Who changed it (user or API token name), for the services' logs. */
  @IsText() changedBy!: string;
  @IsUtcTimestamp() publishedAt!: string;

  /** Gives the event built from `fields`. */
  constructor(fields: ControlConfigPublished) {
    if (fields) Object.assign(this, fields);
  }
}
