import { inventoryFlowOn } from './store-flows';

describe('inventoryFlowOn', () => {
  const flows = (inventory: unknown) => ({ deleted: false, data: { flows: { orders: true, inventory } } });

  it('is on for a store the control plane never published, and for a deleted one', () => {
    expect(inventoryFlowOn(null)).toBe(true);
    expect(inventoryFlowOn({ deleted: true, data: {} })).toBe(true);
  });

  it('follows flows.inventory of the record held', () => {
    expect(inventoryFlowOn(flows(false))).toBe(false);
    expect(inventoryFlowOn(flows(true))).toBe(true);
  });
});
