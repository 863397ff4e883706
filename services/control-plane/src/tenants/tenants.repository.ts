import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Tx } from '@ledgerline/messaging';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG, POOL } from '../config/tokens';

export interface Tenant {
  tenantId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

@Injectable()
export class TenantsRepository {
  private readonly s: string;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: ControlPlaneConfig,
  ) {
    this.s = config.schema;
  }

  async upsert(tx: Tx, tenantId: string, name: string): Promise<{ before: Tenant | null; after: Tenant }> {
    const before = await this.find(tx, tenantId);
    const { rows } = await tx.query<{ tenant_id: string; name: string; created_at: Date; updated_at: Date }>(
      `INSERT INTO ${this.s}.tenants (tenant_id, name) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET name = EXCLUDED.name, updated_at = now() RETURNING *`,
      [tenantId, name],
    );
    return { before, after: toTenant(rows[0] as never) };
  }

  async find(db: Tx | Pool, tenantId: string): Promise<Tenant | null> {
    const { rows } = await (db as Tx).query<{ tenant_id: string; name: string; created_at: Date; updated_at: Date }>(`SELECT * FROM ${this.s}.tenants WHERE tenant_id = $1`, [tenantId]);
    return rows[0] ? toTenant(rows[0]) : null;
  }

  async all(): Promise<Tenant[]> {
    const { rows } = await this.pool.query<{ tenant_id: string; name: string; created_at: Date; updated_at: Date }>(`SELECT * FROM ${this.s}.tenants ORDER BY tenant_id`);
    return rows.map(toTenant);
  }
}

function toTenant(r: { tenant_id: string; name: string; created_at: Date; updated_at: Date }): Tenant {
  return { tenantId: r.tenant_id, name: r.name, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() };
}
