import { classifyError } from '@ledgerline/messaging';
import { isErrorCode } from '../errors/ledgerline.error';
import { MAPPING_KINDS, MappingMissingError } from './mapping-missing.error';
import { resolveMapping } from './resolve-mapping';

const where = { storeId: 'nordic-shop', orderRef: '1234', erp: 'Fortnox', documentKind: 'invoice' };

function thrown(fn: () => unknown): MappingMissingError {
  try {
    fn();
  } catch (err) {
    return err as MappingMissingError;
  }
  throw new Error('expected resolveMapping to throw');
}

describe('resolveMapping', () => {
  const taxCodes = new Map([['SE:25', { vat: 25, account: 3001 }]]);

  it('returns the mapped value from a Map, a plain object or a lookup function', () => {
    expect(resolveMapping(taxCodes, 'SE:25', { what: 'tax-code', tenant: 'acme', where })).toEqual({ vat: 25, account: 3001 });
    expect(resolveMapping({ klarna: 'KL' }, 'klarna', { what: 'payment-method', tenant: 'acme', where })).toBe('KL');
    expect(resolveMapping((n: number) => (n === 1 ? 'MAIN' : undefined), 1, { what: 'warehouse', tenant: 'acme', where })).toBe('MAIN');
  });

  it('throws MAPPING_TAX_CODE_MISSING naming the order, the missing key and the console screen', () => {
    const err = thrown(() => resolveMapping(taxCodes, 'SE:12', { what: 'tax-code', tenant: { id: 'acme', name: 'Acme AB' }, where, label: 'tax rate SE 12%' }));
    expect(err).toBeInstanceOf(MappingMissingError);
    expect(classifyError(err)).toEqual({
      kind: 'permanent',
      code: 'MAPPING_TAX_CODE_MISSING',
      operatorMessage:
        'Cannot build the Fortnox invoice for order #1234 (store "nordic-shop", tenant "Acme AB"): tax rate SE 12% has no Fortnox tax code ' +
        'in the mapping of tenant "Acme AB". Add it under Mappings → Tax codes, then replay.',
    });
    expect(err.context).toEqual({ ...where, tenantId: 'acme', tenantName: 'Acme AB' });
    expect(err.notApplied).toBe(true);
  });

  it('treats null, undefined and empty entries as missing, and labels the key with a function or String(key)', () => {
    const table = { cod: '', card: null as string | null };
    expect(thrown(() => resolveMapping(table, 'cod', { what: 'payment-method', tenant: 'acme', where })).operatorMessage).toContain(': cod has no Fortnox mode of payment');
    expect(thrown(() => resolveMapping(table, 'card', { what: 'payment-method', tenant: 'acme', where, label: (k) => `payment method "${k}"` })).code).toBe(
      'MAPPING_PAYMENT_METHOD_MISSING',
    );
    expect(thrown(() => resolveMapping(table, 'toString', { what: 'payment-method', tenant: 'acme', where })).code).toBe('MAPPING_PAYMENT_METHOD_MISSING');
  });

  it('gives every mapping kind a stable MAPPING_<THING>_MISSING code and a console screen', () => {
    for (const [what, kind] of Object.entries(MAPPING_KINDS)) {
      expect(isErrorCode(kind.code)).toBe(true);
      expect(kind.code).toMatch(/^MAPPING_[A-Z_]+_MISSING$/);
      expect(kind.screen).toMatch(/^Mappings → /);
      expect(what).toMatch(/^[a-z-]+$/);
    }
  });
});
