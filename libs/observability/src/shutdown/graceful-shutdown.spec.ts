import { EventEmitter } from 'node:events';
import { exitOnShutdownSignal, type SignalTarget } from './graceful-shutdown';

/** A stand-in for `process`: signals are emitted by the test, and `exit` records its code instead of exiting. */
function fakeProcess(): SignalTarget & { emitter: EventEmitter; exited: Promise<number> } {
  const emitter = new EventEmitter();
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  return { emitter, exited, on: (signal, listener) => emitter.on(signal, listener), exit: (code) => exit(code) };
}

const quietLog = { info: () => undefined, error: () => undefined };

describe('exitOnShutdownSignal', () => {
  it('closes the app, then shuts tracing down, then exits 0, and ignores the signal Nest re-raises', async () => {
    const target = fakeProcess();
    const steps: string[] = [];
    let finishClose!: () => void;
    exitOnShutdownSignal({
      close: (signal) => {
        steps.push(`close ${signal}`);
        return new Promise<void>((resolve) => (finishClose = resolve));
      },
      tracing: { shutdown: async () => void steps.push('tracing shutdown') },
      log: quietLog,
      target,
    });

    target.emitter.emit('SIGTERM', 'SIGTERM');
    target.emitter.emit('SIGTERM', 'SIGTERM'); // Nest's process.kill(pid, signal) after its hooks
    expect(steps).toEqual(['close SIGTERM']);
    finishClose();

    expect(await target.exited).toBe(0);
    expect(steps).toEqual(['close SIGTERM', 'tracing shutdown']);
  });

  it('still shuts tracing down, and exits 1, when closing fails', async () => {
    const target = fakeProcess();
    const steps: string[] = [];
    const errors: string[] = [];
    exitOnShutdownSignal({
      close: async () => {
        throw new Error('pool.end() failed');
      },
      tracing: { shutdown: async () => void steps.push('tracing shutdown') },
      log: { info: () => undefined, error: (_obj: unknown, msg?: string) => void errors.push(String(msg)) },
      target,
    });

    target.emitter.emit('SIGINT', 'SIGINT');

    expect(await target.exited).toBe(1);
    expect(steps).toEqual(['tracing shutdown']);
    expect(errors).toEqual(['shutdown failed: pool.end() failed']);
  });

  it('gives up on a close that does not finish within timeoutMs, exiting 1', async () => {
    const target = fakeProcess();
    const errors: string[] = [];
    exitOnShutdownSignal({
      close: () => new Promise<void>(() => undefined),
      log: { info: () => undefined, error: (_obj: unknown, msg?: string) => void errors.push(String(msg)) },
      timeoutMs: 20,
      target,
    });

    target.emitter.emit('SIGTERM', 'SIGTERM');

    expect(await target.exited).toBe(1);
    expect(errors).toEqual(['shutdown failed: shutdown did not finish within 20 ms']);
  });
});
