import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { adyenError } from '../http/psp-http.error';
import { PSP_RUNTIME } from '../http/runtime.token';
import type { PspRuntime } from '../psp-runtime';

interface RawRequest {
  headers: Record<string, string | string[] | undefined>;
}
interface RawResponse {
  status(code: number): RawResponse;
  setHeader(name: string, value: string): void;
  send(body: string): void;
}

const FILE = /^settlement_detail_report_batch_(\d+)\.csv$/;

/** Report downloads as a report user fetches them (Basic auth), the URL REPORT_AVAILABLE gives in `reason`. */
@Controller('adyen/reports/download')
export class AdyenController {
  constructor(@Inject(PSP_RUNTIME) private readonly runtime: PspRuntime) {}

  @Get(':merchantAccount/:fileName')
  download(@Req() req: RawRequest, @Res() res: RawResponse, @Param('merchantAccount') merchantAccount: string, @Param('fileName') fileName: string): void {
    const scope = this.runtime.gate('adyen', req.headers);
    if (!scope.all && scope.merchantAccount !== merchantAccount) throw adyenError(403, '010', `Not allowed: the report user has no access to merchant account ${merchantAccount}`, 'security');
    const batch = FILE.exec(fileName)?.[1];
    const p = batch ? this.runtime.payouts('adyen', { all: false, merchantAccount }).find((x) => x.payoutId === String(Number(batch))) : undefined;
    if (!p) throw adyenError(404, '000', `Report ${fileName} not found for merchant account ${merchantAccount}`, 'validation');
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${fileName}"`);
    res.status(200).send(this.runtime.reportCsv('adyen', merchantAccount, p.payoutId));
  }
}
