import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Tx } from '@ledgerline/messaging';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG } from '../config/tokens';
import { EMPTY_MAPPINGS, type ErpMappings } from './mapping';

@Injectable()
export class MappingsRepository {
  private readonly s: string;

  constructor(@Inject(CONFIG) config: ControlPlaneConfig) {
    this.s = config.schema;
  }

  async get(db: Tx | Pool, connectionId: string, forUpdate = false): Promise<ErpMappings> {
    const { rows } = await (db as Tx).query<{ body: Partial<ErpMappings> }>(`SELECT body FROM ${this.s}.mappings WHERE connection_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [connectionId]);
    return { ...structuredClone(EMPTY_MAPPINGS), ...(rows[0]?.body ?? {}) };
  }

  async save(tx: Tx, connectionId: string, tenantId: string, body: ErpMappings): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s}.mappings (connection_id, tenant_id, body) VALUES ($1, $2, $3)
       ON CONFLICT (connection_id) DO UPDATE SET body = EXCLUDED.body, updated_at = now()`,
      [connectionId, tenantId, JSON.stringify(body)],
    );
  }
}
