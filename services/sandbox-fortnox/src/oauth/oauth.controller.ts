import { Body, Controller, Get, Header, Headers, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { queryValue, type Query as ListQuery } from '../common/list-query';
import { isObject } from '../common/payload';
import { SandboxEndpoint } from '../common/sandbox-endpoint.decorator';
import { OAuthError } from '../errors/oauth.error';
import { SANDBOX, type SandboxContext } from '../sandbox.context';
import type { TokenResponse } from './token.store';

/**
 * Fortnox's OAuth2 authorization-code flow (fortnox.se/developer/authorization/get-authorization-code and
 * get-access-token, seen 2026-11). Fortnox serves these on apps.fortnox.se and the API on api.fortnox.se;
 * the sandbox serves both on one base URL.
 */
@Controller('oauth-v1')
@SandboxEndpoint()
export class OAuthController {
  constructor(
    @Inject(SANDBOX) private readonly ctx: SandboxContext,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Stands in for the consent screen: no login, the code is issued at once and the browser redirected to
   * `redirect_uri?code=…&state=…`. Sandbox extension: `tenant_id` picks an existing company (as if its
   * user logged in); without it a new company is created. `redirect_uri` is required here because the
   * sandbox has no registered redirect URI to fall back to.
   */
  @Get('auth')
  authorize(@Query() query: ListQuery, @Res() res: unknown): void {
    const clientId = queryValue(query, 'client_id');
    const redirectUri = queryValue(query, 'redirect_uri');
    if (clientId !== this.ctx.clientId) throw new OAuthError(400, 'invalid_client', 'Auth code or ClientID supplied is invalid');
    if (!redirectUri || !URL.canParse(redirectUri)) throw new OAuthError(400, 'invalid_request', 'redirect_uri is required by the sandbox');
    const target = new URL(redirectUri);
    const state = queryValue(query, 'state');
    const problem =
      queryValue(query, 'response_type') !== 'code'
        ? 'response_type must be code'
        : !state
          ? 'state is required'
          : !queryValue(query, 'scope')
            ? 'scope is required'
            : undefined;
    const tenantId = queryValue(query, 'tenant_id');
    if (problem) {
      target.searchParams.set('error', 'invalid_request');
      target.searchParams.set('error_description', problem);
    } else if (tenantId !== undefined && !this.ctx.state.tenants.has(tenantId)) {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', `no sandbox tenant ${tenantId}`);
    } else {
      const tenant = tenantId !== undefined ? this.ctx.state.tenant(tenantId) : this.ctx.state.createTenant(queryValue(query, 'tenant_name'));
      target.searchParams.set('code', this.ctx.tokens.issueAuthorizationCode(tenant.id, { scope: queryValue(query, 'scope'), redirectUri }));
    }
    if (state) target.searchParams.set('state', state);
    this.adapterHost.httpAdapter.redirect(res, 302, target.toString());
  }

  /**
   * `POST /oauth-v1/token`, form-encoded, client authenticated with HTTP Basic (base64 of
   * `clientId:clientSecret`). `grant_type=authorization_code` (code, redirect_uri) or
   * `grant_type=refresh_token` (refresh_token); both answer a new access and refresh token.
   */
  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  token(@Headers('authorization') authorization: string | undefined, @Body() body: unknown): TokenResponse {
    this.authenticateClient(authorization);
    const form = isObject(body) ? body : {};
    const field = (name: string) => (typeof form[name] === 'string' && form[name] !== '' ? (form[name] as string) : undefined);
    switch (field('grant_type')) {
      case 'authorization_code':
        return this.ctx.tokens.exchangeCode(field('code'), field('redirect_uri'));
      case 'refresh_token':
        return this.ctx.tokens.refresh(field('refresh_token'));
      case undefined:
        throw new OAuthError(400, 'invalid_request', 'grant_type is required');
      default:
        throw new OAuthError(400, 'unsupported_grant_type', `grant_type ${field('grant_type')} is not supported`);
    }
  }

  private authenticateClient(authorization: string | undefined): void {
    const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
    const [id, ...secret] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : [];
    if (id !== this.ctx.clientId || secret.join(':') !== this.ctx.clientSecret) {
      throw new OAuthError(401, 'invalid_client', 'Client authentication failed: send Authorization: Basic base64(ClientId:ClientSecret)');
    }
  }
}
