import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Tx } from '@ledgerline/messaging';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG, POOL } from '../config/tokens';
import { SecretBox } from '@ledgerline/service-kit';

/** An ERP connection as the API shows it: its health, never its tokens. */
export interface ErpConnectionView {
  connectionId: string;
  tenantId: string;
  erp: string;
  status: 'pending' | 'connected' | 'failed';
  /** When the access token expires, whether it has expired, and whether a refresh token can renew it. */
  health: { tokenExpiresAt: string | null; expired: boolean; expiresInSeconds: number | null; renewable: boolean; lastError: string | null };
  connectedAt: string | null;
  updatedAt: string;
}

interface ConnectionRow {
  connection_id: string;
  tenant_id: string;
  erp: string;
  status: ErpConnectionView['status'];
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  expires_at: Date | null;
  connected_at: Date | null;
  last_error: string | null;
  updated_at: Date;
}

/** The erp_connections and oauth_states tables; tokens are sealed on the way in and never leave except opened for the ERP. */
@Injectable()
export class ErpConnectionsRepository {
  private readonly s: string;
  private readonly box: SecretBox;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: ControlPlaneConfig,
  ) {
    this.s = config.schema;
    this.box = new SecretBox(config.secretsKey, 'CONTROL_PLANE_SECRETS_KEY');
  }

  async ensurePending(tx: Tx, connectionId: string, tenantId: string, erp: string): Promise<ErpConnectionView | null> {
    const before = await this.find(tx, connectionId);
    await tx.query(
      `INSERT INTO ${this.s}.erp_connections (connection_id, tenant_id, erp) VALUES ($1, $2, $3)
       ON CONFLICT (connection_id) DO UPDATE SET updated_at = now()`,
      [connectionId, tenantId, erp],
    );
    return before;
  }

  async saveState(tx: Tx, stateHash: string, connectionId: string, startedBy: { name: string; kind: string }, ttlSeconds: number): Promise<Date> {
    const { rows } = await tx.query<{ expires_at: Date }>(
      `INSERT INTO ${this.s}.oauth_states (state_hash, connection_id, started_by, started_by_kind, expires_at) VALUES ($1, $2, $3, $4, now() + ($5::int * interval '1 second')) RETURNING expires_at`,
      [stateHash, connectionId, startedBy.name, startedBy.kind, ttlSeconds],
    );
    return (rows[0] as { expires_at: Date }).expires_at;
  }

  /** Marks the state used and returns its connection and starter; null when unknown, used or expired. */
  async consumeState(tx: Tx, stateHash: string): Promise<{ connectionId: string; startedBy: string; startedByKind: string } | null> {
    const { rows } = await tx.query<{ connection_id: string; started_by: string; started_by_kind: string }>(
      `UPDATE ${this.s}.oauth_states SET used_at = now() WHERE state_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING connection_id, started_by, started_by_kind`,
      [stateHash],
    );
    return rows[0] ? { connectionId: rows[0].connection_id, startedBy: rows[0].started_by, startedByKind: rows[0].started_by_kind } : null;
  }

  async saveTokens(tx: Tx, connectionId: string, t: { accessToken: string; refreshToken: string | null; expiresInSeconds: number }): Promise<void> {
    await tx.query(
      `UPDATE ${this.s}.erp_connections SET status = 'connected', access_token_enc = $2, refresh_token_enc = $3,
         expires_at = now() + ($4::int * interval '1 second'), connected_at = now(), last_error = NULL, updated_at = now() WHERE connection_id = $1`,
      [connectionId, this.box.seal(t.accessToken), t.refreshToken ? this.box.seal(t.refreshToken) : null, t.expiresInSeconds],
    );
  }

  async markFailed(connectionId: string, message: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.s}.erp_connections SET status = 'failed', last_error = $2, updated_at = now() WHERE connection_id = $1`, [connectionId, message]);
  }

  async find(db: Tx | Pool, connectionId: string): Promise<ErpConnectionView | null> {
    const { rows } = await (db as Tx).query<ConnectionRow>(`SELECT * FROM ${this.s}.erp_connections WHERE connection_id = $1`, [connectionId]);
    return rows[0] ? view(rows[0]) : null;
  }

  async all(tenantId?: string): Promise<ErpConnectionView[]> {
    const { rows } = await this.pool.query<ConnectionRow>(`SELECT * FROM ${this.s}.erp_connections WHERE ($1::text IS NULL OR tenant_id = $1) ORDER BY connection_id`, [tenantId ?? null]);
    return rows.map(view);
  }

  /** The opened tokens, for handing over to the connector; never returned by the API. */
  async tokens(connectionId: string): Promise<{ accessToken: string; refreshToken: string | null } | null> {
    const { rows } = await this.pool.query<ConnectionRow>(`SELECT * FROM ${this.s}.erp_connections WHERE connection_id = $1`, [connectionId]);
    const r = rows[0];
    if (!r?.access_token_enc) return null;
    return { accessToken: this.box.open(r.access_token_enc), refreshToken: r.refresh_token_enc ? this.box.open(r.refresh_token_enc) : null };
  }
}

function view(r: ConnectionRow): ErpConnectionView {
  const now = Date.now();
  const expires = r.expires_at?.getTime() ?? null;
  return {
    connectionId: r.connection_id,
    tenantId: r.tenant_id,
    erp: r.erp,
    status: r.status,
    health: {
      tokenExpiresAt: r.expires_at?.toISOString() ?? null,
      expired: expires !== null && expires <= now,
      expiresInSeconds: expires === null ? null : Math.max(0, Math.round((expires - now) / 1000)),
      renewable: r.refresh_token_enc !== null,
      lastError: r.last_error,
    },
    connectedAt: r.connected_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The connection's record on the config topic (no tokens). */
export function connectionConfigData(c: ErpConnectionView): Record<string, unknown> {
  return { erp: c.erp, status: c.status, tokenExpiresAt: c.health.tokenExpiresAt, renewable: c.health.renewable };
}
