// Starts each program as a child process running its own entry point, writes its output line by line (prefixed with
// its name) into the run's log file, waits for /health/ready, and stops them all again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProgramName } from './config/quickstart.config';

export interface ProgramSpec {
  name: ProgramName;
  /** Entry point relative to the repository root, e.g. `services/store-gateway/src/main.ts`. */
  entry: string;
  port: number;
  env: Record<string, string>;
}

interface Running {
  spec: ProgramSpec;
  child: ChildProcess;
  exited: { code: number | null; signal: NodeJS.Signals | null } | null;
  tail: string[];
}

/** The children of one run. */
export class Programs {
  private readonly running = new Map<ProgramName, Running>();
  private readonly log: WriteStream;
  private stopping = false;

  constructor(
    private readonly repoRoot: string,
    private readonly host: string,
    readonly logFile: string,
    private readonly baseEnv: NodeJS.ProcessEnv,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  /** Writes one line of our own into the log file. */
  note(line: string): void {
    this.log.write(`[quickstart] ${new Date().toISOString()} ${line}\n`);
  }

  /** Spawns the program (`node -r ./scripts/register.cjs <entry>`) and returns at once. */
  start(spec: ProgramSpec): void {
    const child = spawn(process.execPath, ['-r', './scripts/register.cjs', spec.entry], {
      cwd: this.repoRoot,
      env: { ...this.baseEnv, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const entry: Running = { spec, child, exited: null, tail: [] };
    this.running.set(spec.name, entry);
    const pad = spec.name.padEnd(22);
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          this.log.write(`[${pad}] ${line}\n`);
          entry.tail.push(line);
          if (entry.tail.length > 20) entry.tail.shift();
        }
      });
      stream?.on('end', () => {
        if (rest) this.log.write(`[${pad}] ${rest}\n`);
      });
    }
    child.on('exit', (code, signal) => {
      entry.exited = { code, signal };
      this.note(`${spec.name} (pid ${child.pid}) exited with ${signal ?? `code ${code}`}`);
    });
    this.note(`started ${spec.name} (pid ${child.pid}) on port ${spec.port}: node -r ./scripts/register.cjs ${spec.entry}`);
  }

  /**
   * Waits until GET /health/ready answers 200. A program that exits before it is ready is started again, at most
   * `restarts` times (as an orchestrator restarts a crashed pod); after that it fails with the program's last lines.
   */
  async waitReady(name: ProgramName, timeoutMs: number, restarts = 2, onRestart?: (line: string) => void): Promise<number> {
    let entry = this.mustGet(name);
    const started = Date.now();
    const url = `http://${this.host}:${entry.spec.port}/health/ready`;
    let last = 'no answer yet';
    let restarted = 0;
    while (Date.now() - started < timeoutMs) {
      if (entry.exited) {
        const how = entry.exited.signal ?? `code ${entry.exited.code}`;
        const lastLine = entry.tail.filter((l) => l.trim() !== '').at(-1) ?? '';
        if (restarted < restarts) {
          restarted++;
          onRestart?.(`  ${name} exited (${how}) before it was ready; starting it again (${restarted}/${restarts}). Its last line: ${lastLine.slice(0, 300)}`);
          this.start(entry.spec);
          entry = this.mustGet(name);
          continue;
        }
        throw new Error(`${name} exited (${how}) before it was ready, ${restarted + 1} times. Its last lines:\n    ${entry.tail.join('\n    ')}\n  (whole log: ${this.logFile})`);
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return Date.now() - started;
        last = `HTTP ${res.status} ${(await res.text()).slice(0, 300)}`;
      } catch (err) {
        last = (err as Error).message;
      }
      await sleep(300);
    }
    throw new Error(`${name} was not ready on ${url} within ${Math.round(timeoutMs / 1000)} s (last answer: ${last}); see ${this.logFile}`);
  }

  /** A program that has died since it became ready (checked during the long phases). */
  dead(): Array<{ name: ProgramName; how: string }> {
    if (this.stopping) return [];
    return [...this.running.values()].filter((r) => r.exited).map((r) => ({ name: r.spec.name, how: r.exited?.signal ?? `code ${r.exited?.code}` }));
  }

  pids(): Record<string, number | undefined> {
    return Object.fromEntries([...this.running.values()].map((r) => [r.spec.name, r.child.pid]));
  }

  /** SIGTERM to every child still running (services first, sandboxes last), SIGKILL after `graceMs`. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const alive = [...this.running.values()].filter((r) => !r.exited).reverse();
    for (const r of alive) r.child.kill('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && alive.some((r) => !r.exited)) await sleep(100);
    for (const r of alive.filter((x) => !x.exited)) {
      this.note(`${r.spec.name} did not stop within ${graceMs} ms of SIGTERM: SIGKILL`);
      r.child.kill('SIGKILL');
    }
    while (alive.some((r) => !r.exited) && Date.now() < deadline + 2000) await sleep(50);
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private mustGet(name: ProgramName): Running {
    const entry = this.running.get(name);
    if (!entry) throw new Error(`${name} was never started`);
    return entry;
  }
}
