import { diff, redact, REDACTED } from './audit.repository';

describe('redact and diff', () => {
  it('replaces values under secret-named keys at any depth, keeping null so the log says whether one was set', () => {
    expect(redact({ siteUrl: 'https://x', consumerSecret: 'cs_1', nested: { accessToken: { from: null, to: 'tok' } }, list: [{ webhook_secret: 's' }] })).toEqual({
      siteUrl: 'https://x',
      consumerSecret: REDACTED,
      nested: { accessToken: { from: null, to: REDACTED } },
      list: [{ webhook_secret: REDACTED }],
    });
  });

  it('lists only changed fields as from/to, with secrets redacted on both sides', () => {
    expect(diff({ name: 'a', consumerKey: 'ck_1', currency: 'SEK' }, { name: 'b', consumerKey: 'ck_2', currency: 'SEK' })).toEqual({
      name: { from: 'a', to: 'b' },
      consumerKey: { from: REDACTED, to: REDACTED },
    });
    // Only names that end in a secret word count: a token's expiry is not a secret.
    expect(diff(null, { tokenExpiresAt: '2026-01-01T00:00:00.000Z' })).toEqual({ tokenExpiresAt: { from: null, to: '2026-01-01T00:00:00.000Z' } });
  });
});
