import { buildQueryString, oauth1BaseString, oauth1Signature, signOAuth1Query } from './oauth1-signature';

// Vector computed independently from NOTES-rest-api.md "Authentication" (base string
// METHOD&rawurlencode(url)&rawurlencode(sorted, encoded params); key = secret + "&") with Python's
// urllib.parse.quote(safe='-_.~') and hmac/sha256, 2026-11-26.
const vector = {
  method: 'GET',
  url: 'http://shop.example/wp-json/wc/v3/orders',
  params: {
    per_page: '100',
    modified_after: '2024-06-10T07:01:44',
    dates_are_gmt: 'true',
    status: 'processing,completed',
    oauth_consumer_key: 'ck_4a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
    oauth_nonce: '0123456789abcdef0123456789abcdef',
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: '1718002904',
  },
  consumerSecret: 'cs_0f1e2d3c4b5a69788796a5b4c3d2e1f0fedcba98',
};

describe('OAuth 1.0a one-legged signing as WooCommerce checks it', () => {
  it('builds the base string with sorted parameters whose encoded characters are encoded again', () => {
    expect(oauth1BaseString(vector)).toBe(
      'GET&http%3A%2F%2Fshop.example%2Fwp-json%2Fwc%2Fv3%2Forders&dates_are_gmt%3Dtrue%26modified_after%3D2024-06-10T07%253A01%253A44%26oauth_consumer_key%3Dck_4a1b2c3d4e5f60718293a4b5c6d7e8f901234567%26oauth_nonce%3D0123456789abcdef0123456789abcdef%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1718002904%26per_page%3D100%26status%3Dprocessing%252Ccompleted',
    );
  });

  it('signs with HMAC-SHA256 keyed by the consumer secret and a bare ampersand', () => {
    expect(oauth1Signature(vector)).toBe('vUsTzoCkufGVLBFYM/KW7k5joy0OXAUt+cU3YuPmj9g=');
  });

  it('adds the five oauth parameters, without oauth_version, and signs what it sends', () => {
    const signed = signOAuth1Query({
      method: 'get',
      url: vector.url,
      query: { per_page: '100', modified_after: '2024-06-10T07:01:44', dates_are_gmt: 'true', status: 'processing,completed' },
      consumerKey: vector.params.oauth_consumer_key,
      consumerSecret: vector.consumerSecret,
      nowSeconds: 1718002904,
      nonce: vector.params.oauth_nonce,
    });
    expect(Object.keys(signed).sort()).toEqual(['dates_are_gmt', 'modified_after', 'oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp', 'per_page', 'status']);
    expect(signed['oauth_signature']).toBe('vUsTzoCkufGVLBFYM/KW7k5joy0OXAUt+cU3YuPmj9g=');
  });

  it('draws a fresh 32-character nonce and a timestamp in seconds for every request', () => {
    const sign = () => signOAuth1Query({ method: 'GET', url: vector.url, query: {}, consumerKey: 'ck_x', consumerSecret: 'cs_y' });
    const a = sign();
    const b = sign();
    expect(a['oauth_nonce']).toMatch(/^[0-9a-f]{32}$/);
    expect(a['oauth_nonce']).not.toBe(b['oauth_nonce']);
    expect(Math.abs(Number(a['oauth_timestamp']) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('encodes the query with %20 and %2B, since PHP reads a plus sign as a space', () => {
    expect(buildQueryString({ search: 'a b+c', oauth_signature: 'x/y+z=' })).toBe('search=a%20b%2Bc&oauth_signature=x%2Fy%2Bz%3D');
  });
});
