import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Tx } from '@ledgerline/messaging';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG, POOL } from '../config/tokens';
import type { Role } from './roles';

/** An API token as listed: never its value or hash. */
export interface ApiTokenView {
  id: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** SHA-256 of a token: API tokens are 32 random bytes, so a fast hash does not make them guessable. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The api_tokens table: tokens are stored as hashes and shown once, when created. */
@Injectable()
export class ApiTokensRepository {
  private readonly s: string;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: ControlPlaneConfig,
  ) {
    this.s = config.schema;
  }

  /** Creates a token and returns its value; the value is not stored and cannot be shown again. */
  async create(tx: Tx, input: { name: string; role: Role; createdBy: string }): Promise<{ token: string; view: ApiTokenView }> {
    const token = `llcp_${randomBytes(32).toString('base64url')}`;
    const { rows } = await tx.query<TokenRow>(
      `INSERT INTO ${this.s}.api_tokens (name, role, token_hash, created_by) VALUES ($1, $2, $3, $4) RETURNING *`,
      [input.name, input.role, hashToken(token), input.createdBy],
    );
    return { token, view: view(rows[0] as TokenRow) };
  }

  /** The live token with this value, marking it used; null for an unknown or revoked token. */
  async authenticate(token: string): Promise<{ name: string; role: Role } | null> {
    const { rows } = await this.pool.query<TokenRow>(
      `UPDATE ${this.s}.api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING *`,
      [hashToken(token)],
    );
    return rows[0] ? { name: rows[0].name, role: rows[0].role } : null;
  }

  async list(): Promise<ApiTokenView[]> {
    const { rows } = await this.pool.query<TokenRow>(`SELECT * FROM ${this.s}.api_tokens ORDER BY id`);
    return rows.map(view);
  }

  async revoke(tx: Tx, id: string): Promise<ApiTokenView | null> {
    const { rows } = await tx.query<TokenRow>(`UPDATE ${this.s}.api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING *`, [id]);
    return rows[0] ? view(rows[0]) : null;
  }
}

function view(r: TokenRow): ApiTokenView {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}
