import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');
const mainTs = 'services/sandbox-fortnox/src/main.ts';

/** Starts src/main.ts as its own Node process, as `node -r ./scripts/register.cjs` does. */
function startMain(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['-r', './scripts/register.cjs', mainTs], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sandbox-fortnox as a standalone process', () => {
  it('serves the API, the control API and health on the configured port, and stops on SIGTERM', async () => {
    const { child, output } = startMain({ SANDBOX_FORTNOX_PORT: '0', SANDBOX_FORTNOX_CLIENT_ID: 'demo-client' });
    try {
      const url = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1], 20_000);
      expect(await (await fetch(`${url}/health/ready`)).json()).toEqual({ status: 'ok', checks: {} });
      const tenant = (await (await fetch(`${url}/__sandbox/tenants`, { method: 'POST' })).json()) as { authorizationCode: string };
      const token = await fetch(`${url}/oauth-v1/token`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from('demo-client:sandbox-fortnox-secret').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=authorization_code&code=${tenant.authorizationCode}`,
      });
      expect(token.status).toBe(200);
      expect(await (await fetch(`${url}/metrics`)).text()).toContain('service="sandbox-fortnox"');
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('refuses to start with one message that lists every invalid setting', async () => {
    const { child, output } = startMain({ SANDBOX_FORTNOX_PORT: 'eighty', SANDBOX_FORTNOX_RATE_LIMIT_REQUESTS: '0' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output()).toMatch(/SANDBOX_FORTNOX_PORT=\\?"eighty\\?" is invalid/);
    expect(output()).toMatch(/SANDBOX_FORTNOX_RATE_LIMIT_REQUESTS=\\?"0\\?" is invalid/);
  });
});
