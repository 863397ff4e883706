/** Injection tokens for the typed config and the database pool. */
export const CONFIG = Symbol('StoreGatewayConfig');
export const POOL = Symbol('Pool');
