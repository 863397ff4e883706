import type { Pool } from 'pg';
import { deploymentTopic, Topics } from '@ledgerline/contracts';
import { OutboxWriter } from '@ledgerline/messaging';
import type { PayoutReconciliationConfig } from '../config/payout-reconciliation.config';
import { IngestService } from '../ingest/ingest.service';
import { ReportDirectoryJob } from '../ingest/report-directory.job';
import { SettlementStore } from '../ingest/settlement-store';
import { MappingsRepository } from '../mappings/mappings.repository';
import { ReconcileWorker } from '../matching/reconcile.worker';
import { Reconciler } from '../matching/reconciler';
import { SourceEventsHandler } from '../sources/source-events.handler';

/** The streams this service reads and writes in this deployment (with the test/demo suffix when one is set). */
export function payoutTopics(config: Pick<PayoutReconciliationConfig, 'topicSuffix'>): { orders: string; erpDocuments: string; bookings: string } {
  return {
    orders: deploymentTopic(Topics.storeOrders, config.topicSuffix),
    erpDocuments: deploymentTopic(Topics.erpDocuments, config.topicSuffix),
    bookings: deploymentTopic(Topics.payoutBookings, config.topicSuffix),
  };
}

/** Everything that holds state for one replica over one database pool. */
export interface PayoutComponents {
  mappings: MappingsRepository;
  store: SettlementStore;
  reconciler: Reconciler;
  worker: ReconcileWorker;
  ingest: IngestService;
  directory: ReportDirectoryJob;
  sources: SourceEventsHandler;
}

/** Builds one replica's components over `pool`. */
export function buildComponents(config: PayoutReconciliationConfig, pool: Pool): PayoutComponents {
  const schema = `"${config.schema}"`;
  const mappings = new MappingsRepository(pool, schema, config.secretsKey);
  const store = new SettlementStore(pool, schema, mappings);
  const reconciler = new Reconciler(pool, schema, mappings, new OutboxWriter(config.schema), payoutTopics(config).bookings);
  const worker = new ReconcileWorker(reconciler, { debounceMs: config.matchDebounceMs, retryMs: config.matchRetryMs });
  const ingest = new IngestService(pool, schema, store, mappings, config, () => worker.poke());
  const directory = new ReportDirectoryJob(config.reportDir, ingest, config.reportDirScanMs);
  const sources = new SourceEventsHandler(schema, () => worker.poke());
  return { mappings, store, reconciler, worker, ingest, directory, sources };
}
