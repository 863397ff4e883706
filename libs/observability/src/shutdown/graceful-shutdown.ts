import type { Logger } from 'pino';
import type { TracingHandle } from '../tracing/tracing.bootstrap';

/** What {@link exitOnShutdownSignal} needs of the process; tests pass an EventEmitter with an `exit` of their own. */
export interface SignalTarget {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

/** Options of {@link exitOnShutdownSignal}. */
export interface GracefulShutdownOptions {
  /**
   * Stops the service: for a Nest app, `(signal) => app.close(signal)`, which runs the shutdown hooks (consumers
   * stop, workers finish, the outbox relay drains, Kafka and the pool close) and closes the HTTP server.
   */
  close: (signal: NodeJS.Signals) => Promise<void>;
  /** Shut down last, so spans of the shutdown itself are exported too. */
  tracing?: TracingHandle;
  log: Pick<Logger, 'info' | 'error'>;
  /**
   * Longest time `close` may take before the process exits with 1 anyway. Keep it under the pod's
   * terminationGracePeriodSeconds minus its preStop sleep (chart: 45 s - 5 s), or Kubernetes kills the pod first.
   */
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
  target?: SignalTarget;
}

/**
 * Makes SIGTERM and SIGINT stop the service in order and exit 0: `close` first (within `timeoutMs`), then tracing,
 * then `process.exit`. The exit code is 0 after a clean stop and 1 when `close` failed or timed out (tracing is shut
 * down in both cases). Further signals during the stop are ignored.
 *
 * The listener stays registered on purpose: Nest's `enableShutdownHooks` re-raises the signal once its hooks have
 * run, and a process without a listener would then die with 128+signal (143) before tracing is flushed. With this
 * listener present, the re-raised signal is just ignored and this function decides the exit code.
 * Call it once in main.ts, after the app listens.
 */
export function exitOnShutdownSignal(opts: GracefulShutdownOptions): void {
  const target: SignalTarget = opts.target ?? process;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    opts.log.info({ signal }, `${signal} received: stopping consumers and workers, draining the outbox, closing connections`);
    void stop(signal);
  };
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    let code = 0;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        opts.close(signal),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`shutdown did not finish within ${timeoutMs} ms`)), timeoutMs);
          timer.unref();
        }),
      ]);
    } catch (err) {
      code = 1;
      opts.log.error({ err }, `shutdown failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    try {
      await opts.tracing?.shutdown();
    } catch (err) {
      opts.log.error({ err }, `tracing shutdown failed: ${(err as Error).message}`);
    }
    opts.log.info({ code }, code === 0 ? 'stopped cleanly' : 'stopped with errors');
    target.exit(code);
  };
  for (const signal of opts.signals ?? (['SIGTERM', 'SIGINT'] as NodeJS.Signals[])) target.on(signal, onSignal);
}
