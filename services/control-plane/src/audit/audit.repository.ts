import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Tx } from '@ledgerline/messaging';
import type { Principal } from '../auth/roles';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG, POOL } from '../config/tokens';

/** What the audit log shows in place of a secret's value. */
export const REDACTED = '[REDACTED]';

// Field names whose values are secrets wherever they appear in a change (compared lower-case, "-"/"_" removed).
const SECRET_FIELD = /(secret|token|password|consumerkey|authorization|authorizationcode)$/;

/**
 * Replaces every value under a secret-named key, at any depth, with {@link REDACTED} (null stays null, so the log
 * still says whether a secret was set), keeping the keys so the log says what changed.
 */
export function redact(value: unknown, secret = false): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v, secret));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redact(v, secret || isSecretField(k))]));
  }
  return secret && value !== null && value !== undefined ? REDACTED : value;
}

const isSecretField = (key: string): boolean => SECRET_FIELD.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));

/** The changed top-level fields of `before` → `after`, as `{field: {from, to}}`, secrets redacted. */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    const from = before?.[k];
    const to = after?.[k];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const secret = isSecretField(k);
    out[k] = { from: redact(from ?? null, secret), to: redact(to ?? null, secret) };
  }
  return out;
}

/** One audit entry. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  actorKind: string;
  action: string;
  tenantId: string | null;
  subjectKind: string;
  subjectId: string;
  changes: unknown;
}

/** The audit_log table: who changed which configuration, when, and what changed (secrets redacted). */
@Injectable()
export class AuditLog {
  private readonly s: string;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: ControlPlaneConfig,
  ) {
    this.s = config.schema;
  }

  /** Must be called inside the transaction of the change it records, so no change goes unaudited. */
  async record(tx: Tx, actor: Principal, entry: { action: string; tenantId: string | null; subjectKind: string; subjectId: string; changes: unknown }): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s}.audit_log (actor, actor_kind, action, tenant_id, subject_kind, subject_id, changes) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [actor.name, actor.kind, entry.action, entry.tenantId, entry.subjectKind, entry.subjectId, JSON.stringify(redact(entry.changes))],
    );
  }

  async list(filter: { subjectId?: string; tenantId?: string; limit?: number }): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query<{
      id: string;
      at: Date;
      actor: string;
      actor_kind: string;
      action: string;
      tenant_id: string | null;
      subject_kind: string;
      subject_id: string;
      changes: unknown;
    }>(
      `SELECT * FROM ${this.s}.audit_log WHERE ($1::text IS NULL OR subject_id = $1) AND ($2::text IS NULL OR tenant_id = $2) ORDER BY id DESC LIMIT $3`,
      [filter.subjectId ?? null, filter.tenantId ?? null, Math.min(filter.limit ?? 200, 1000)],
    );
    return rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actor,
      actorKind: r.actor_kind,
      action: r.action,
      tenantId: r.tenant_id,
      subjectKind: r.subject_kind,
      subjectId: r.subject_id,
      changes: r.changes,
    }));
  }
}
