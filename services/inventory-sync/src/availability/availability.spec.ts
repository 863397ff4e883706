import { availableQuantity, computeAvailability } from './availability';

const level = (warehouseCode: string | null, quantity: string, reserved: string | null = null) => ({ warehouseCode, quantity, reserved, readAt: '2026-11-26T10:00:00.000Z' });

describe('availability', () => {
  it('adds the warehouses a store sells from, then takes off the buffer and the pending order units', () => {
    expect(computeAvailability({ levels: [level('MAIN', '10'), level('B2', '5')], safetyBuffer: '2', pending: '3' })).toEqual({
      erpFree: '15',
      safetyBuffer: '2',
      pending: '3',
      available: '10',
    });
  });

  it('takes what the ERP reserved off each warehouse, never letting a warehouse count below zero', () => {
    expect(computeAvailability({ levels: [level('MAIN', '10', '4'), level('B2', '1', '3')], safetyBuffer: '0', pending: '0' }).available).toBe('6');
  });

  it('never goes below zero', () => {
    expect(availableQuantity('3', '2', '5')).toBe('0');
  });

  it('rounds fractional ERP stock down to whole units', () => {
    expect(availableQuantity('7.75', '0.5', '1')).toBe('6');
    expect(availableQuantity('0.9', '0', '0')).toBe('0');
  });

  it('gives zero for an ERP single stock figure of zero', () => {
    expect(computeAvailability({ levels: [level(null, '0')], safetyBuffer: '0', pending: '0' }).available).toBe('0');
  });
});
