/** Injection tokens for the typed config, the database pool and the log sink. */
export const CONFIG = Symbol('ControlPlaneConfig');
export const POOL = Symbol('Pool');
export const LOGGER = Symbol('Logger');
