import { BadRequestException, Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import type { Pool } from 'pg';
import { withTransaction } from '@ledgerline/messaging';
import { POOL } from '../config/tokens';
import type { FortnoxComponents } from '../messaging/components';
import { COMPONENTS } from '../messaging/messaging.module';
import type { TenantMappings } from '../persistence/store.repository';

const FORTNOX_VAT = new Set([25, 12, 6, 0]);
const isAccount = (v: unknown) => Number.isInteger(v) && (v as number) >= 1000 && (v as number) <= 9999;

/** Lists every problem of a mapping body, so one answer says all that must change. */
export function mappingProblems(body: Partial<TenantMappings>): string[] {
  const problems: string[] = [];
  for (const [key, v] of Object.entries(body.taxCodes ?? {})) {
    const special = key === 'EU:reverse-charge' || key === 'export';
    if (!special && !/^[A-Z]{2}:\d+(\.\d+)?$/.test(key)) problems.push(`taxCodes key "${key}" must be <country>:<percent>, like "SE:25", or "EU:reverse-charge" or "export".`);
    if (key.startsWith('SE:') || special) {
      if (!FORTNOX_VAT.has(v?.vat)) problems.push(`taxCodes["${key}"].vat must be 25, 12, 6 or 0.`);
      else if (special && v.vat !== 0) problems.push(`taxCodes["${key}"].vat must be 0.`);
    } else if (typeof v?.vat !== 'number' || !(v.vat >= 0 && v.vat <= 30)) {
      problems.push(`taxCodes["${key}"].vat must be the rate in percent, like 19.`);
    } else if (!FORTNOX_VAT.has(v.vat) && !isAccount(v.vatAccount)) {
      problems.push(`taxCodes["${key}"].vatAccount must be a 4-digit Fortnox account for the OSS VAT of a foreign rate, like 2616.`);
    }
    if (!isAccount(v?.account)) problems.push(`taxCodes["${key}"].account must be a 4-digit Fortnox account, like 3001.`);
  }
  for (const [key, v] of Object.entries(body.currencies ?? {})) {
    if (!/^[A-Z]{3}$/.test(key) || key === 'SEK') problems.push(`currencies key "${key}" must be an ISO 4217 code other than SEK, like "EUR".`);
    if (typeof v?.rate !== 'number' || !(v.rate > 0)) problems.push(`currencies["${key}"].rate must be a positive number (SEK per unit), like 11.45.`);
    if (v?.unit !== undefined && !(Number.isInteger(v.unit) && v.unit > 0)) problems.push(`currencies["${key}"].unit must be a positive whole number.`);
  }
  for (const [key, v] of Object.entries(body.paymentMethods ?? {})) {
    if (typeof v?.modeOfPayment !== 'string' || v.modeOfPayment === '') problems.push(`paymentMethods["${key}"].modeOfPayment must be a Fortnox mode of payment code, like "KORT".`);
    if (v?.registerPayment !== undefined && typeof v.registerPayment !== 'boolean') problems.push(`paymentMethods["${key}"].registerPayment must be true or false.`);
    if (v?.modeOfPaymentAccount !== undefined && !isAccount(v.modeOfPaymentAccount)) problems.push(`paymentMethods["${key}"].modeOfPaymentAccount must be a 4-digit Fortnox account, like 1930.`);
  }
  for (const [key, v] of Object.entries(body.shippingMethods ?? {})) {
    if (v?.account !== undefined && !isAccount(v.account)) problems.push(`shippingMethods["${key}"].account must be a 4-digit Fortnox account.`);
  }
  return problems;
}

/** The tenant's mapping (Mappings → Tax codes, Payment methods, Shipping methods in the console). */
@Controller('tenants/:tenantId/mappings')
export class MappingsController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(COMPONENTS) private readonly components: FortnoxComponents,
  ) {}

  /** Replaces each kind given in the body (kinds left out are kept). */
  @Put()
  async put(@Param('tenantId') tenantId: string, @Body() body: Partial<TenantMappings>): Promise<TenantMappings> {
    const problems = mappingProblems(body ?? {});
    if (problems.length > 0) throw new BadRequestException(problems.join(' '));
    await withTransaction(this.pool, (tx) => this.components.store.replaceMappings(tx, tenantId, body));
    return this.components.store.mappings(this.pool, tenantId);
  }

  @Get()
  get(@Param('tenantId') tenantId: string): Promise<TenantMappings> {
    return this.components.store.mappings(this.pool, tenantId);
  }
}
