import { Controller, HttpCode, HttpException, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { PayoutReconciliationConfig } from '../config/payout-reconciliation.config';
import { COMPONENTS, CONFIG } from '../config/tokens';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { BodyTooLargeError, readRawBody } from '@ledgerline/service-kit';
import { readJsonObject } from '../http/read-body';
import type { PayoutComponents } from '../messaging/components';
import type { ReconcileReport } from '../matching/reconciler';
import { IngestRefusedError, type PollReport } from './ingest.service';
import type { IngestResult } from './settlement-store';

/** Turns an IngestRefusedError into the HTTP answer with its code and message. */
export function refused(err: unknown): never {
  if (err instanceof IngestRefusedError) throw new HttpException({ statusCode: err.status, code: err.code, message: err.message, ...err.details }, err.status);
  throw err;
}

/** Report uploads (the control plane proxies them later), polls on demand and a reconcile pass on demand. */
@Controller()
@UseGuards(AdminTokenGuard)
export class ReportsController {
  constructor(
    @Inject(COMPONENTS) private readonly c: PayoutComponents,
    @Inject(CONFIG) private readonly config: PayoutReconciliationConfig,
  ) {}

  /**
   * Stores a report file sent as the raw body. 201 with what was stored; 200 "already-received" for the same bytes
   * again; 422 naming line and column when the header or the CSV itself is bad (nothing stored).
   */
  @Post('reports/:provider')
  @HttpCode(200)
  async upload(@Param('provider') provider: string, @Query('fileName') fileName: string | undefined, @Query('merchantAccount') merchantAccount: string | undefined, @Req() req: IncomingMessage): Promise<IngestResult> {
    let bytes: Buffer;
    try {
      bytes = await readRawBody(req, this.config.maxReportBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new HttpException({ statusCode: 413, code: 'REPORT_TOO_LARGE', message: `Reports are limited to ${this.config.maxReportBytes} bytes (PAYOUT_RECONCILIATION_MAX_REPORT_BYTES).` }, 413);
      throw err;
    }
    if (bytes.length === 0) throw new HttpException({ statusCode: 400, code: 'REPORT_EMPTY', message: 'The upload is empty: send the report file as the request body (content-type text/csv).' }, 400);
    return this.c.ingest.ingestReport(provider, fileName ?? `${provider}-upload.csv`, bytes, { merchantAccount, source: 'upload' }).catch(refused);
  }

  /** Polls the provider's settlements API now, for every mapped account or the one in the body. */
  @Post('poll/:provider')
  @HttpCode(200)
  async poll(@Param('provider') provider: string, @Req() req: IncomingMessage): Promise<PollReport[]> {
    const body = await readJsonObject(req, '{"merchantAccount": "acct_1"}');
    const account = typeof body['merchantAccount'] === 'string' ? body['merchantAccount'] : undefined;
    return this.c.ingest.poll(provider, account).catch(refused);
  }

  /** Runs a matching and booking pass now and returns what it did. */
  @Post('reconcile')
  @HttpCode(200)
  reconcile(): Promise<ReconcileReport> {
    return this.c.worker.runNow();
  }
}
