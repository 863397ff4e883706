import { Decimal, RoundingMode } from '@ledgerline/money';

/** One ERP reading of a SKU in one warehouse, as the breakdown shows it. */
export interface WarehouseLevel {
  /** Null for an ERP's single stock figure. */
  warehouseCode: string | null;
  quantity: string;
  /** Units the ERP already promised to its own orders; null when the ERP does not report it. */
  reserved: string | null;
  readAt: string;
}

/** Everything a store's available quantity of one SKU is computed from. */
export interface AvailabilityInputs {
  levels: readonly WarehouseLevel[];
  safetyBuffer: string;
  /** Units of this store's orders that the ERP has not absorbed yet. */
  pending: string;
}

/** The computed quantity with the figures it came from, so an operator can answer "why does store X show 3?". */
export interface AvailabilityBreakdown {
  /** Sum over the store's warehouses of (quantity − reserved), each warehouse counted as zero or more. */
  erpFree: string;
  safetyBuffer: string;
  pending: string;
  /** floor(max(0, erpFree − safetyBuffer − pending)): whole units the store may sell. */
  available: string;
}

/** Gives what one warehouse can contribute: its quantity less what the ERP reserved there, never below zero. */
export function warehouseFree(level: Pick<WarehouseLevel, 'quantity' | 'reserved'>): Decimal {
  return Decimal.max(Decimal.ZERO, Decimal.of(level.quantity).sub(level.reserved ?? '0'));
}

/**
 * Gives the whole number of units a store may sell: the ERP's free stock in the warehouses the store sells from, less
 * the safety buffer, less the units of the store's orders the ERP has not absorbed; never negative, rounded down
 * (a store cannot sell half a unit it may not have).
 */
export function availableQuantity(erpFree: string, safetyBuffer: string, pending: string): string {
  const raw = Decimal.of(erpFree).sub(safetyBuffer).sub(pending);
  return Decimal.max(Decimal.ZERO, raw).round(0, RoundingMode.FLOOR).toString();
}

/** Gives the available quantity of one SKU in one store with the figures it came from. */
export function computeAvailability(inputs: AvailabilityInputs): AvailabilityBreakdown {
  const erpFree = Decimal.sum(inputs.levels.map(warehouseFree)).toString();
  return { erpFree, safetyBuffer: Decimal.of(inputs.safetyBuffer).toString(), pending: Decimal.of(inputs.pending).toString(), available: availableQuantity(erpFree, inputs.safetyBuffer, inputs.pending) };
}
