import { createHash, randomBytes } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { withTransaction } from '@ledgerline/messaging';
import { AuditLog, diff } from '../audit/audit.repository';
import { Actor, Public, RequiresRole, type Principal } from '../auth/roles';
import { ConfigPublisher } from '../config-distribution/config.publisher';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG, POOL } from '../config/tokens';
import { notFound, objectBody, Problems, SLUG } from '../http/problems';
import { TenantsRepository } from '../tenants/tenants.repository';
import { connectionConfigData, ErpConnectionsRepository, type ErpConnectionView } from './erp-connections.repository';

const STATE_TTL_SECONDS = 600;
const stateHash = (state: string) => createHash('sha256').update(state).digest('hex');

/**
 * ERP connections and Fortnox's OAuth authorization-code flow: `start` makes a one-time state and answers the
 * consent URL; Fortnox redirects the browser to `callback` with the code and state; the callback exchanges the code
 * (client authenticated with HTTP Basic, shared/contracts Fortnox OAuth) and stores the tokens sealed.
 */
@ApiTags('connections')
@ApiBearerAuth()
@Controller('api/connections')
export class ErpConnectionsController {
  constructor(
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(POOL) private readonly pool: Pool,
    private readonly connections: ErpConnectionsRepository,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditLog,
    private readonly publisher: ConfigPublisher,
  ) {}

  @Get()
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Lists ERP connections with their health: status, token expiry, renewable (viewer). Tokens are never returned.' })
  list(@Query('tenantId') tenantId?: string): Promise<ErpConnectionView[]> {
    return this.connections.all(tenantId);
  }

  @Get(':connectionId')
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'One ERP connection and its health (viewer).' })
  async get(@Param('connectionId') connectionId: string): Promise<ErpConnectionView> {
    const c = await this.connections.find(this.pool, connectionId);
    if (!c) throw notFound('ERP_CONNECTION_UNKNOWN', `No ERP connection "${connectionId}"; start one under Connections → Connect Fortnox.`);
    return c;
  }

  @Post('fortnox/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Starts connecting a tenant to Fortnox (admin): answers the consent URL to open in the browser, carrying a one-time state.' })
  @ApiBody({ schema: { type: 'object', required: ['tenantId'], properties: { tenantId: { type: 'string' }, connectionId: { type: 'string', example: 'fortnox-acme' } } } })
  async start(@Body() raw: unknown, @Actor() actor: Principal): Promise<{ connectionId: string; authorizeUrl: string; redirectUri: string; stateExpiresAt: string }> {
    const body = objectBody(raw, '{"tenantId": "acme"}');
    const p = new Problems(body);
    const tenantId = p.text('tenantId', SLUG, 'the id of an existing tenant, like "acme"');
    const connectionId = p.text('connectionId', SLUG, 'lower-case letters, digits and dashes, like "fortnox-acme"', true) ?? `fortnox-${tenantId ?? ''}`;
    if (!this.config.fortnoxClientId) p.add('erp', 'Fortnox is not configured on this control plane: set FORTNOX_CLIENT_ID and FORTNOX_CLIENT_SECRET');
    if (tenantId && !(await this.tenants.find(this.pool, tenantId))) p.add('tenantId', `"${tenantId}" is not a tenant; create it under Tenants first`);
    p.throwIfAny('ERP_CONNECTION_INVALID', 'The Fortnox connection was not started');
    const existing = await this.connections.find(this.pool, connectionId);
    if (existing && existing.tenantId !== tenantId) {
      p.add('connectionId', `"${connectionId}" belongs to tenant "${existing.tenantId}"; choose another id`);
      p.throwIfAny('ERP_CONNECTION_INVALID', 'The Fortnox connection was not started');
    }
    const state = randomBytes(24).toString('base64url');
    const redirectUri = `${this.config.publicUrl}/api/connections/oauth/callback`;
    const expiresAt = await withTransaction(this.pool, async (tx) => {
      const before = await this.connections.ensurePending(tx, connectionId, tenantId as string, 'fortnox');
      if (!before) {
        await this.audit.record(tx, actor, { action: 'erp-connection.created', tenantId: tenantId as string, subjectKind: 'erp-connection', subjectId: connectionId, changes: diff(null, { erp: 'fortnox' }) });
      }
      return this.connections.saveState(tx, stateHash(state), connectionId, actor, STATE_TTL_SECONDS);
    });
    const url = new URL(this.config.fortnoxAuthUrl);
    url.search = new URLSearchParams({
      client_id: this.config.fortnoxClientId,
      redirect_uri: redirectUri,
      scope: this.config.fortnoxScope,
      state,
      access_type: 'offline',
      response_type: 'code',
    }).toString();
    return { connectionId, authorizeUrl: url.toString(), redirectUri, stateExpiresAt: expiresAt.toISOString() };
  }

  /**
   * Fortnox redirects the browser here after consent. It carries no bearer token: the one-time state (random, hashed
   * at rest, 10 minutes, single use) authenticates it and names the admin who started the flow. Answers a redirect
   * to the console with the outcome.
   */
  @Get('oauth/callback')
  @Public()
  @ApiOperation({ summary: 'OAuth redirect target (public; authenticated by the one-time state). Exchanges the code and stores the tokens encrypted.' })
  async callback(@Query() query: Record<string, string | undefined>, @Res() res: { redirect(status: number, url: string): void }): Promise<void> {
    const back = (outcome: 'connected' | 'error', message: string, connectionId?: string) => {
      const q = new URLSearchParams({ oauth: outcome, message, ...(connectionId ? { connectionId } : {}) });
      res.redirect(302, `${this.config.publicUrl}/console/?${q.toString()}#connections`);
    };
    const claimed = query['state'] ? await withTransaction(this.pool, (tx) => this.connections.consumeState(tx, stateHash(query['state'] as string))) : null;
    if (!claimed) return back('error', 'The sign-in answer from Fortnox is unknown, expired (10 minutes) or was used already. Start the connection again under Connections.');
    const { connectionId, startedBy, startedByKind } = claimed;
    if (query['error'] || !query['code']) {
      const message = `Fortnox did not grant access (${query['error'] ?? 'no code'}${query['error_description'] ? `: ${query['error_description']}` : ''}). Start the connection again and approve the access.`;
      await this.connections.markFailed(connectionId, message);
      return back('error', message, connectionId);
    }
    const granted = await this.exchange(query['code'], `${this.config.publicUrl}/api/connections/oauth/callback`);
    if ('error' in granted) {
      await this.connections.markFailed(connectionId, granted.error);
      return back('error', granted.error, connectionId);
    }
    // The change is the admin's who started the flow: the state proves the browser came back from their consent.
    const actor: Principal = { name: startedBy, kind: startedByKind as Principal['kind'], role: 'admin' };
    await withTransaction(this.pool, async (tx) => {
      const before = await this.connections.find(tx, connectionId);
      await this.connections.saveTokens(tx, connectionId, granted);
      const after = (await this.connections.find(tx, connectionId)) as ErpConnectionView;
      await this.audit.record(tx, actor, {
        action: 'erp-connection.authorized',
        tenantId: after.tenantId,
        subjectKind: 'erp-connection',
        subjectId: connectionId,
        changes: { ...diff(before ? { status: before.status } : null, { status: after.status }), accessToken: { from: null, to: granted.accessToken }, refreshToken: { from: null, to: granted.refreshToken } },
      });
      await this.publisher.publish(tx, actor, { tenantId: after.tenantId, kind: 'erp-connection', subjectId: connectionId, data: connectionConfigData(after) });
    });
    back('connected', `Fortnox connection "${connectionId}" is connected.`, connectionId);
  }

  private async exchange(code: string, redirectUri: string): Promise<{ accessToken: string; refreshToken: string | null; expiresInSeconds: number } | { error: string }> {
    let res: Response;
    try {
      res = await fetch(this.config.fortnoxTokenUrl, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${this.config.fortnoxClientId}:${this.config.fortnoxClientSecret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }).toString(),
        signal: AbortSignal.timeout(this.config.requestTimeoutMs),
      });
    } catch (err) {
      return { error: `Fortnox's token endpoint could not be reached (${(err as Error).message}). Try again; if it persists, check FORTNOX_TOKEN_URL.` };
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (res.status !== 200 || !body.access_token) {
      return {
        error: `Fortnox refused the authorization code (${body.error ?? res.status}${body.error_description ? `: ${body.error_description}` : ''}). Codes are single use and expire quickly: start the connection again under Connections.`,
      };
    }
    return { accessToken: body.access_token, refreshToken: body.refresh_token ?? null, expiresInSeconds: body.expires_in ?? 3600 };
  }
}
