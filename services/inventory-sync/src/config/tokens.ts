/** Injection tokens for the typed config and the database pool. */
export const CONFIG = Symbol('InventorySyncConfig');
export const POOL = Symbol('Pool');
