/**
 * Errors of the OAuth endpoints, in RFC 6749 §5.2 form (`{"error":"invalid_grant","error_description":...}`).
 * Fortnox does not document its token-endpoint error bodies; its FAQ names the case "Invalid refresh token"
 * (fortnox.se/developer/faq, seen 2026-11). The standard form is our guess.
 */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'unauthorized_client',
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  body(): Record<string, string> {
    return { error: this.error, error_description: this.description };
  }
}
