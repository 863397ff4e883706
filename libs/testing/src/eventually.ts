export interface EventuallyOptions {
  /** Give up after this long; default 10 000 ms. */
  timeoutMs?: number;
  /** Pause between attempts; default 100 ms. */
  intervalMs?: number;
  /** What is awaited, for the timeout error; default "condition". */
  description?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `fn` until it returns a truthy value (which is returned) or the timeout passes; then throws an
 * Error whose message contains `description` (and the last error `fn` threw, if any). An attempt that
 * throws counts as "not yet". An attempt still pending at the deadline is not awaited further.
 */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, opts: EventuallyOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 100, description = 'condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  const timedOut = Symbol('timed out');
  let lastError: unknown;
  for (;;) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        Promise.resolve().then(fn),
        new Promise<typeof timedOut>((resolve) => {
          timer = setTimeout(() => resolve(timedOut), Math.max(0, remaining));
        }),
      ]);
      if (result !== timedOut && result) return result as T;
      if (result !== timedOut) lastError = undefined;
    } catch (err) {
      lastError = err;
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? '' : ` (last attempt threw: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`eventually: timed out after ${timeoutMs} ms waiting for ${description}${cause}`, { cause: lastError });
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}
