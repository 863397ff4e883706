import { Inject, Injectable } from '@nestjs/common';
import { ControlConfigPublished, Topics, configKey, deploymentTopic, envelope, type ControlConfigKind } from '@ledgerline/contracts';
import { OutboxWriter, type Tx } from '@ledgerline/messaging';
import type { Principal } from '../auth/roles';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG } from '../config/tokens';

/**
 * Publishes the whole configuration of one subject to `ledgerline.control.config.v1` through the outbox, in the
 * transaction of the change, with the next version of its key (docs/adr/0006-configuration-distribution.md).
 * Callers pass only non-secret data.
 */
@Injectable()
export class ConfigPublisher {
  readonly topic: string;

  constructor(
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    private readonly outbox: OutboxWriter,
  ) {
    this.topic = deploymentTopic(Topics.controlConfig, config.topicSuffix);
  }

  /** Must be called inside the change's transaction; returns the version written. */
  async publish(tx: Tx, actor: Principal, rec: { tenantId: string; kind: ControlConfigKind; subjectId: string; data: Record<string, unknown>; deleted?: boolean }): Promise<number> {
    const { rows } = await tx.query<{ version: number }>(
      `INSERT INTO ${this.config.schema}.config_versions (tenant_id, kind, subject_id, version) VALUES ($1, $2, $3, 1)
       ON CONFLICT (tenant_id, kind, subject_id) DO UPDATE SET version = config_versions.version + 1 RETURNING version`,
      [rec.tenantId, rec.kind, rec.subjectId],
    );
    const version = (rows[0] as { version: number }).version;
    const event = new ControlConfigPublished({
      tenantId: rec.tenantId,
      kind: rec.kind,
      subjectId: rec.subjectId,
      version,
      deleted: rec.deleted ?? false,
      data: rec.data,
      changedBy: actor.name,
      publishedAt: new Date().toISOString(),
    });
    await this.outbox.append(tx, envelope.of(event, { tenantId: rec.tenantId, storeId: null }), { topic: this.topic, key: configKey(rec.tenantId, rec.kind, rec.subjectId) });
    return version;
  }
}
