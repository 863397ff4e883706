import { erpInvoice } from '../__fixtures__/events';
import { violationOf } from '../__fixtures__/violations';
import { envelope } from '../envelope';
import { keyFor, topicFor } from '../topics';
import { ErpDocumentRecorded } from './erp-document-recorded.v1';

const inStore = { tenantId: 'acme', storeId: 'us-store' };

describe('erp-document.recorded v1', () => {
  it('travels on the ERP documents stream with the order key', () => {
    const env = envelope.of(erpInvoice(), inStore);

    expect([topicFor(env.type), keyFor(env)]).toEqual(['ledgerline.erp.documents.v1', 'acme:us-store:727']);
  });

  it('refuses an unknown document kind and a total in another currency', () => {
    const bad = { ...erpInvoice(), kind: 'receipt', total: { amount: '125.00', currency: 'EUR' } };

    const problems = violationOf(() => envelope.of(new ErpDocumentRecorded(bad as unknown as ErpDocumentRecorded), inStore)).problems.join('\n');

    expect(problems).toMatch(/payload\.kind: must be one of "invoice", "credit-invoice", "sales-order" \(got "receipt"\)/);
    expect(problems).toMatch(/payload\.total\.currency: .*SEK.*EUR|EUR.*SEK/);
  });
});
