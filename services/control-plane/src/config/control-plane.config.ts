import { checkKafkaClient, kafkaClientSettings, loadSettings, parse, runModeSettings, type KafkaClientConfig, type RunModeConfig, type Settings } from '@ledgerline/config';

/** Typed settings of the control plane; the only place this service reads the environment (STYLE.md §6). */
export interface ControlPlaneConfig extends KafkaClientConfig, RunModeConfig {
  databaseUrl: string;
  kafkaBrokers: string[];
  port: number;
  host: string;
  schema: string;
  /** Appended to topic names; lets tests and parallel demos keep to their own streams. */
  topicSuffix: string;
  /** AES-256-GCM key that encrypts store keys, webhook secrets and ERP tokens at rest. */
  secretsKey: Buffer;
  /** Base URL browsers reach the control plane at; the OAuth redirect URI is `<url>/api/connections/oauth/callback`. */
  publicUrl: string;
  /** An admin API token accepted from configuration, to create the first real API tokens; empty: none. */
  bootstrapToken: string;
  /** OIDC: issuer (`iss`), audience (`aud`) and JWKS URL; OIDC is off while the issuer is empty. */
  oidcIssuer: string;
  oidcAudience: string;
  oidcJwksUrl: string;
  /** JWT claim holding the user's roles (a string or a list holding admin, operator or viewer). */
  oidcRolesClaim: string;
  /** Fortnox OAuth client and URLs (the authorization page and the token endpoint). */
  fortnoxClientId: string;
  fortnoxClientSecret: string;
  fortnoxAuthUrl: string;
  fortnoxTokenUrl: string;
  fortnoxScope: string;
  /** store-gateway's admin API, for parked deliveries and their replay; empty: not consulted. */
  storeGatewayUrl: string;
  storeGatewayAdminToken: string;
  /** connector-fortnox's API, for its sync log and document replay; empty: not consulted. */
  connectorFortnoxUrl: string;
  connectorFortnoxAdminToken: string;
  /** Where alerts are delivered (Slack/Teams incoming webhook URL); empty: shown in the console only. */
  alertWebhookUrl: string;
  /** Milliseconds between alert evaluations; 0 turns the schedule off (POST /api/alerts/evaluate still works). */
  alertIntervalMs: number;
  /** Hours without any order event from a store whose orders flow is on before the sync-gap alert fires. */
  syncGapHours: number;
  /** Timeout of calls to stores, Fortnox and other services, in milliseconds. */
  requestTimeoutMs: number;
}

const optionalUrl = (raw: string): string | undefined => (raw === '-' ? '' : parse.httpUrl(raw));
const optionalText = (raw: string): string | undefined => (raw === '-' ? '' : raw);

/** Every setting with its variable, description, default and whether it is secret; the chart's values docs come from here. */
export const controlPlaneSettings: Settings<ControlPlaneConfig> = {
  databaseUrl: { env: 'DATABASE_URL', description: 'PostgreSQL connection URL', secret: true, expected: 'postgres://user:password@host:5432/database', parse: parse.postgresUrl },
  kafkaBrokers: { env: 'KAFKA_BROKERS', description: 'Kafka bootstrap brokers', expected: 'comma-separated host:port, like 127.0.0.1:9092', parse: parse.brokers },
  port: { env: 'PORT', description: 'HTTP port', default: '3100', expected: 'an integer 0-65535', parse: parse.int(0, 65535) },
  host: { env: 'HOST', description: 'HTTP bind address', default: '127.0.0.1', expected: 'an IP address or host name', parse: (raw) => raw || undefined },
  schema: { env: 'CONTROL_PLANE_SCHEMA', description: 'database schema of this service', default: 'control_plane', expected: 'lower-case letters, digits, underscores', parse: parse.identifier },
  topicSuffix: {
    env: 'CONTROL_PLANE_TOPIC_SUFFIX',
    description: 'suffix for topic names',
    default: '-',
    expected: 'lower-case letters, digits and dashes, or "-" for none',
    parse: parse.topicSuffix,
  },
  secretsKey: {
    env: 'CONTROL_PLANE_SECRETS_KEY',
    description: 'key that encrypts store keys, webhook secrets and ERP tokens at rest (AES-256-GCM)',
    secret: true,
    expected: '32 random bytes, base64-encoded (openssl rand -base64 32)',
    parse: parse.base64Key(32),
  },
  publicUrl: { env: 'CONTROL_PLANE_PUBLIC_URL', description: 'base URL browsers reach the control plane at', expected: 'an absolute http(s) URL, like https://ledgerline.example.com', parse: parse.httpUrl },
  bootstrapToken: {
    env: 'CONTROL_PLANE_BOOTSTRAP_TOKEN',
    description: 'admin API token accepted from configuration, to create the first API tokens ("-" for none)',
    secret: true,
    default: '-',
    expected: 'at least 32 characters, or "-"',
    parse: (raw) => (raw === '-' ? '' : raw.length >= 32 ? raw : undefined),
  },
  oidcIssuer: { env: 'CONTROL_PLANE_OIDC_ISSUER', description: 'OIDC issuer (iss) of accepted bearer JWTs ("-": OIDC off)', default: '-', expected: 'the issuer URL, or "-"', parse: optionalText },
  oidcAudience: { env: 'CONTROL_PLANE_OIDC_AUDIENCE', description: 'OIDC audience (aud) the JWTs must carry', default: 'ledgerline-control-plane', expected: 'a string', parse: (raw) => raw },
  oidcJwksUrl: { env: 'CONTROL_PLANE_OIDC_JWKS_URL', description: 'JWKS URL of the OIDC issuer ("-" when OIDC is off)', default: '-', expected: 'an http(s) URL, or "-"', parse: optionalUrl },
  oidcRolesClaim: { env: 'CONTROL_PLANE_OIDC_ROLES_CLAIM', description: 'claim holding the roles', default: 'roles', expected: 'a claim name', parse: (raw) => raw },
  fortnoxClientId: { env: 'FORTNOX_CLIENT_ID', description: 'Fortnox integration client id ("-": Fortnox connections off)', default: '-', expected: 'the client id', parse: optionalText },
  fortnoxClientSecret: { env: 'FORTNOX_CLIENT_SECRET', description: 'Fortnox integration client secret', secret: true, default: '-', expected: 'the client secret', parse: optionalText },
  fortnoxAuthUrl: {
    env: 'FORTNOX_AUTH_URL',
    description: 'Fortnox authorization page',
    default: 'https://apps.fortnox.se/oauth-v1/auth',
    expected: 'an http(s) URL',
    parse: parse.httpUrl,
  },
  fortnoxTokenUrl: { env: 'FORTNOX_TOKEN_URL', description: 'Fortnox token endpoint', default: 'https://apps.fortnox.se/oauth-v1/token', expected: 'an http(s) URL', parse: parse.httpUrl },
  fortnoxScope: { env: 'FORTNOX_SCOPE', description: 'scopes asked for', default: 'invoice customer article payment bookkeeping', expected: 'space-separated scopes', parse: (raw) => raw },
  storeGatewayUrl: { env: 'STORE_GATEWAY_URL', description: "store-gateway's admin API base URL", default: '-', expected: 'an http(s) URL, or "-"', parse: optionalUrl },
  storeGatewayAdminToken: { env: 'STORE_GATEWAY_ADMIN_TOKEN', description: "store-gateway's admin token", secret: true, default: '-', expected: 'the token, or "-"', parse: optionalText },
  connectorFortnoxUrl: { env: 'CONNECTOR_FORTNOX_URL', description: "connector-fortnox's API base URL", default: '-', expected: 'an http(s) URL, or "-"', parse: optionalUrl },
  connectorFortnoxAdminToken: {
    env: 'CONNECTOR_FORTNOX_ADMIN_TOKEN',
    description: "connector-fortnox's admin token (sent when set)",
    secret: true,
    default: '-',
    expected: 'the token, or "-"',
    parse: optionalText,
  },
  alertWebhookUrl: { env: 'CONTROL_PLANE_ALERT_WEBHOOK_URL', description: 'Slack/Teams incoming webhook for alerts ("-": console only)', secret: true, default: '-', expected: 'an http(s) URL, or "-"', parse: optionalUrl },
  alertIntervalMs: { env: 'CONTROL_PLANE_ALERT_INTERVAL_MS', description: 'milliseconds between alert evaluations (0 = off)', default: '60000', expected: 'an integer 0-86400000', parse: parse.int(0, 86_400_000) },
  syncGapHours: { env: 'CONTROL_PLANE_SYNC_GAP_HOURS', description: 'hours without order events before a sync-gap alert', default: '24', expected: 'an integer 1-720', parse: parse.int(1, 720) },
  requestTimeoutMs: { env: 'CONTROL_PLANE_REQUEST_TIMEOUT_MS', description: 'timeout of outgoing calls', default: '10000', expected: 'an integer 100-120000', parse: parse.int(100, 120_000) },
  ...kafkaClientSettings,
  ...runModeSettings,
};

/**
 * Returns the validated config, or throws one error listing every invalid or missing setting with its expected form
 * and the variable that sets it. Secret values are never echoed.
 */
export function loadControlPlaneConfig(env: NodeJS.ProcessEnv = process.env): ControlPlaneConfig {
  return loadSettings('control-plane', controlPlaneSettings, env, 'environment variables, Helm values services.control-plane.env', [checkKafkaClient()]);
}
