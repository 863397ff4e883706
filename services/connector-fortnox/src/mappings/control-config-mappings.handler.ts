import type { ControlConfigPublished } from '@ledgerline/contracts';
import { PermanentError, type ConfigKindHandler } from '@ledgerline/messaging';
import type { StoreRepository, TenantMappings } from '../persistence/store.repository';
import { replaceTenantMappings, TenantMappingsInvalid } from './tenant-mappings';

/** The ERP value of the control plane's Fortnox connections (`erp` of `erp-connection` and `mappings` records). */
const FORTNOX = 'fortnox';
/** The sections of the control plane's mapping this connector reads; `fees` is not one (below). */
const SECTIONS = ['taxCodes', 'paymentMethods', 'shippingMethods', 'currencies'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Converts the data of a control-plane `mappings` record (`{erp, taxCodes, paymentMethods, shippingMethods, fees,
 * currencies}`, services/control-plane/README.md) to this connector's {@link TenantMappings}. The record is the whole
 * mapping, so a missing section is an empty one. `erp` only selects the connector; `fees` has no counterpart here:
 * this connector books a fee row on the sales account of its tax code (invoice.mapper.ts), so it is not read.
 * A section that is not an object is a problem named by its field.
 */
export function tenantMappingsFromControlConfig(data: Record<string, unknown>): { mappings: TenantMappings; problems: string[] } {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const section of SECTIONS) {
    const value = data[section] ?? {};
    if (isObject(value)) out[section] = value;
    else {
      problems.push(`${section} must be an object keyed by the WooCommerce value.`);
      out[section] = {};
    }
  }
  return { mappings: out as unknown as TenantMappings, problems };
}

const NO_MAPPINGS: TenantMappings = { taxCodes: {}, paymentMethods: {}, shippingMethods: {}, currencies: {} };

/**
 * Materialises the control plane's `mappings` records of Fortnox connections into the tenant's mapping, through the
 * same validation and repository as `PUT /tenants/:tenantId/mappings` (tenant-mappings.ts). A record that breaks a
 * rule is parked (`CONTROL_CONFIG_MAPPING_INVALID`) naming the tenant, the connection and every field; the mapping
 * held before stays. A `deleted` record empties the tenant's mapping.
 *
 * The connector keeps one mapping per tenant (it has one Fortnox connection per tenant), so the subject (the
 * control plane's connection id) is recorded but not used to pick a mapping.
 */
export function controlConfigMappingsHandler(store: StoreRepository): ConfigKindHandler {
  return {
    accept: (record, previous) => (record.deleted ? (previous?.data['erp'] ?? record.data['erp']) : record.data['erp']) === FORTNOX,
    apply: async ({ record }, tx) => {
      if (record.deleted) {
        await replaceTenantMappings(tx, store, record.tenantId, NO_MAPPINGS);
        return;
      }
      const { mappings, problems } = tenantMappingsFromControlConfig(record.data);
      try {
        if (problems.length > 0) throw new TenantMappingsInvalid(record.tenantId, problems);
        await replaceTenantMappings(tx, store, record.tenantId, mappings);
      } catch (err) {
        if (err instanceof TenantMappingsInvalid) throw invalid(record, err.problems);
        throw err;
      }
    },
  };
}

function invalid(record: ControlConfigPublished, problems: string[]): PermanentError {
  return new PermanentError(
    'CONTROL_CONFIG_MAPPING_INVALID',
    `The Fortnox mapping of tenant "${record.tenantId}" (control-plane connection "${record.subjectId}", version ${record.version}, changed by ${record.changedBy}) was not applied; the mapping held before stays: ${problems.join(' ')} Correct it in the control plane under Mappings, then replay this record: the corrected one, held behind it, is applied instead.`,
  );
}
