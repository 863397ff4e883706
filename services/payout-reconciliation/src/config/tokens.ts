/** Injection tokens for the typed config, the database pool and the service's components. */
export const CONFIG = Symbol('PayoutReconciliationConfig');
export const POOL = Symbol('Pool');
export const COMPONENTS = Symbol('PayoutComponents');
