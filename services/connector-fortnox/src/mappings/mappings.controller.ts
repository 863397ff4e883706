import { BadRequestException, Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import type { Pool } from 'pg';
import { withTransaction } from '@ledgerline/messaging';
import { POOL } from '../config/tokens';
import type { FortnoxComponents } from '../messaging/components';
import { COMPONENTS } from '../messaging/messaging.module';
import type { TenantMappings } from '../persistence/store.repository';
import { replaceTenantMappings, TenantMappingsInvalid } from './tenant-mappings';

export { mappingProblems } from './tenant-mappings';

/** The control plane's `mappings` record the tenant's mapping was last set from (control-config-mappings.handler.ts). */
export interface AppliedControlConfig {
  /** The control plane's ERP connection id (the record's subject). */
  connectionId: string;
  version: number;
  deleted: boolean;
  changedBy: string;
  publishedAt: string;
  appliedAt: string;
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
    try {
      await withTransaction(this.pool, (tx) => replaceTenantMappings(tx, this.components.store, tenantId, body ?? {}));
    } catch (err) {
      if (err instanceof TenantMappingsInvalid) throw new BadRequestException(err.message);
      throw err;
    }
    return this.components.store.mappings(this.pool, tenantId);
  }

  /**
   * The tenant's mapping, and `controlConfig`: the control plane's `mappings` record it was last set from (null when
   * none was applied). A later PUT here is not reflected there, and the next record from the control plane replaces it.
   */
  @Get()
  async get(@Param('tenantId') tenantId: string): Promise<TenantMappings & { controlConfig: AppliedControlConfig | null }> {
    const [mappings, records] = await Promise.all([this.components.store.mappings(this.pool, tenantId), this.components.config.list(this.pool, { tenantId, kind: 'mappings' })]);
    const last = records.sort((a, b) => b.appliedAt.getTime() - a.appliedAt.getTime())[0];
    return {
      ...mappings,
      controlConfig: last
        ? { connectionId: last.subjectId, version: last.version, deleted: last.deleted, changedBy: last.changedBy, publishedAt: last.publishedAt, appliedAt: last.appliedAt.toISOString() }
        : null,
    };
  }
}
