import { OAuthError } from '../errors/oauth.error';
import { AUTHORIZATION_CODE_TTL_MS, REFRESH_TOKEN_TTL_MS, TokenStore } from './token.store';

const oauthError = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as OAuthError).error;
  }
  return undefined;
};

describe('TokenStore', () => {
  let now = 0;
  const store = () => new TokenStore('client', () => now, 3_600_000);
  beforeEach(() => (now = 1_000_000));

  it('issues a pair for a code that authenticates as the code\'s tenant', () => {
    const tokens = store();
    const pair = tokens.exchangeCode(tokens.issueAuthorizationCode('t1'), undefined);
    expect(pair).toMatchObject({ expires_in: 3600, token_type: 'bearer' });
    expect(tokens.authenticate(pair.access_token)).toEqual({ clientId: 'client', tenantId: 't1', scope: expect.any(String) });
  });

  it('expires access tokens after their lifetime and codes after ten minutes', () => {
    const tokens = store();
    const pair = tokens.exchangeCode(tokens.issueAuthorizationCode('t1'), undefined);
    const code = tokens.issueAuthorizationCode('t1');
    now += 3_599_999;
    expect(tokens.authenticate(pair.access_token)).toBeDefined();
    now += 1;
    expect(tokens.authenticate(pair.access_token)).toBeUndefined();
    now += AUTHORIZATION_CODE_TTL_MS;
    expect(oauthError(() => tokens.exchangeCode(code, undefined))).toBe('invalid_grant');
  });

  it('spends a refresh token on first use, and refuses it after 45 days', () => {
    const tokens = store();
    const pair = tokens.exchangeCode(tokens.issueAuthorizationCode('t1'), undefined);
    const next = tokens.refresh(pair.refresh_token);
    expect(oauthError(() => tokens.refresh(pair.refresh_token))).toBe('invalid_grant');
    now += REFRESH_TOKEN_TTL_MS;
    expect(oauthError(() => tokens.refresh(next.refresh_token))).toBe('invalid_grant');
  });

  it('binds a code to the redirect_uri of its authorization request', () => {
    const tokens = store();
    const code = tokens.issueAuthorizationCode('t1', { redirectUri: 'https://a.example/cb' });
    expect(oauthError(() => tokens.exchangeCode(code, 'https://b.example/cb'))).toBe('invalid_grant');
    const other = tokens.issueAuthorizationCode('t1', { redirectUri: 'https://a.example/cb' });
    expect(tokens.exchangeCode(other, 'https://a.example/cb').token_type).toBe('bearer');
  });
});
