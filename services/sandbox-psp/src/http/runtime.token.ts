/** Nest injection token of the {@link PspRuntime} one sandbox serves. */
export const PSP_RUNTIME = Symbol('PSP_RUNTIME');
