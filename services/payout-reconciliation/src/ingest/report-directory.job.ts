import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '@ledgerline/observability';
import { IngestRefusedError, type IngestService } from './ingest.service';

/**
 * Reads report files dropped into `<dir>/<provider>/` (Stripe: `<dir>/stripe/<acct_…>/`, the report names no account).
 * Files are never moved or deleted: the content hash makes a file read twice a no-op ("already received"), and a
 * refused file is logged once per change of its size or time.
 */
export class ReportDirectoryJob {
  private readonly log = createLogger('report-directory');
  private timer: NodeJS.Timeout | null = null;
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly dir: string,
    private readonly ingest: IngestService,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (!this.dir) return;
    const tick = async () => {
      await this.scan().catch((err: Error) => this.log.error({ err }, `report directory scan failed: ${err.message}`));
      this.timer = setTimeout(() => void tick(), this.intervalMs);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Reads every file not seen in its current size and time; returns how many it handed to ingest. */
  async scan(): Promise<number> {
    let handed = 0;
    for (const provider of ['stripe', 'klarna', 'adyen']) {
      const root = join(this.dir, provider);
      const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
      const files: Array<{ path: string; name: string; account?: string }> = [];
      for (const e of entries) {
        if (e.isFile() && e.name.endsWith('.csv')) files.push({ path: join(root, e.name), name: e.name });
        if (e.isDirectory() && provider === 'stripe') {
          for (const f of await readdir(join(root, e.name)).catch(() => [])) if (f.endsWith('.csv')) files.push({ path: join(root, e.name, f), name: f, account: e.name });
        }
      }
      for (const f of files) {
        const s = await stat(f.path);
        const version = `${s.size}:${s.mtimeMs}`;
        if (this.seen.get(f.path) === version) continue;
        this.seen.set(f.path, version);
        handed++;
        try {
          const r = await this.ingest.ingestReport(provider, f.name, await readFile(f.path), { merchantAccount: f.account, source: `directory:${f.path}` });
          this.log.info({ file: f.path, status: r.status }, r.message);
        } catch (err) {
          if (err instanceof IngestRefusedError) this.log.error({ file: f.path, code: err.code }, err.message);
          else throw err;
        }
      }
    }
    return handed;
  }
}
