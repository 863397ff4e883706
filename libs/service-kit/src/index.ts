// What every service's HTTP edge and storage share: the admin bearer-token guard, the raw body reader that webhook
// signatures need, and SecretBox for secrets at rest.
export { BearerTokenGuard } from './bearer-token.guard';
export { BodyTooLargeError, readRawBody } from './read-raw-body';
export { SecretBox } from './secret-box';
