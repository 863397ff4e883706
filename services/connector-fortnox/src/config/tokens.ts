/** Injection tokens for the typed config and the database pool. */
export const CONFIG = Symbol('ConnectorFortnoxConfig');
export const POOL = Symbol('Pool');
