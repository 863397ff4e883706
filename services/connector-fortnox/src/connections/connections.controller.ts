import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ConnectorFortnoxConfig } from '../config/connector-fortnox.config';
import { CONFIG, POOL } from '../config/tokens';
import { COMPONENTS } from '../messaging/messaging.module';
import type { FortnoxComponents } from '../messaging/components';

interface ConnectBody {
  tenantId?: unknown;
  authorizationCode?: unknown;
  redirectUri?: unknown;
}

/** Connects a tenant to its Fortnox company: exchanges the OAuth authorization code and stores the tokens sealed. */
@Controller('connections')
export class ConnectionsController {
  constructor(
    @Inject(CONFIG) private readonly config: ConnectorFortnoxConfig,
    @Inject(POOL) private readonly pool: Pool,
    @Inject(COMPONENTS) private readonly components: FortnoxComponents,
  ) {}

  @Post()
  @HttpCode(201)
  async connect(@Body() body: ConnectBody): Promise<{ tenantId: string; connectionId: string }> {
    const tenantId = typeof body?.tenantId === 'string' && /^[A-Za-z0-9._-]{1,60}$/.test(body.tenantId) ? body.tenantId : null;
    const code = typeof body?.authorizationCode === 'string' && body.authorizationCode !== '' ? body.authorizationCode : null;
    if (!tenantId || !code) throw new BadRequestException('Send {"tenantId": "<tenant id>", "authorizationCode": "<code from the Fortnox consent redirect>"}.');
    const form = new URLSearchParams({ grant_type: 'authorization_code', code });
    if (typeof body.redirectUri === 'string') form.set('redirect_uri', body.redirectUri);
    const res = await fetch(this.config.fortnoxTokenUrl, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${this.config.fortnoxClientId}:${this.config.fortnoxClientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
      signal: AbortSignal.timeout(this.config.requestTimeoutMs),
    });
    const granted = (await res.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (res.status !== 200 || !granted.access_token) {
      throw new BadRequestException(
        `Fortnox refused the authorization code (${granted.error ?? res.status}${granted.error_description ? `: ${granted.error_description}` : ''}). Codes are single use and expire quickly: start the connection again from Connections → Fortnox.`,
      );
    }
    const connectionId = `fortnox-${tenantId}`;
    await this.components.tokens.save(connectionId, tenantId, {
      accessToken: granted.access_token,
      refreshToken: granted.refresh_token ?? null,
      expiresInSeconds: granted.expires_in ?? 3600,
    });
    await this.components.store.saveConnection(this.pool, tenantId, connectionId);
    return { tenantId, connectionId };
  }
}
