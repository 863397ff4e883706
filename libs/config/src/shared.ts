import { readFileSync } from 'node:fs';
import { parse, type Settings, type SettingsCheck } from './settings';

/** SASL mechanisms kafkajs supports without plugins. */
export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/**
 * Kafka connection settings every Kafka-using service shares: TLS, SASL and the partition count of the topics it
 * creates. Spread {@link kafkaClientSettings} into the service's table and pass {@link checkKafkaClient} to
 * loadSettings; build the client options with {@link kafkaConnectionOptions}. Empty strings mean "not set".
 */
export interface KafkaClientConfig {
  kafkaSsl: boolean;
  kafkaSslCaFile: string;
  kafkaSslCertFile: string;
  kafkaSslKeyFile: string;
  kafkaSaslMechanism: KafkaSaslMechanism | '';
  kafkaSaslUsername: string;
  kafkaSaslPassword: string;
  kafkaSaslPasswordFile: string;
  /** Partitions of the topics this service creates when they are missing (existing topics are left as they are). */
  kafkaTopicPartitions: number;
}

/** Settings every service with a database shares. */
export interface RunModeConfig {
  /** Run the schema migrations, then exit 0 without serving (the chart's pre-install/pre-upgrade Job). */
  migrateOnly: boolean;
}

const optional = (raw: string): string | undefined => (raw === '-' ? '' : raw);
const optionalPath = (raw: string): string | undefined => (raw === '-' ? '' : raw.startsWith('/') ? raw : undefined);

export const runModeSettings: Settings<RunModeConfig> = {
  migrateOnly: {
    env: 'LEDGERLINE_MIGRATE_ONLY',
    description: "run this service's database migrations, then exit 0 (the chart's migration Job sets it)",
    default: 'false',
    expected: '1, true, 0 or false',
    parse: (raw) => (raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : undefined),
  },
};

export const kafkaClientSettings: Settings<KafkaClientConfig> = {
  kafkaSsl: { env: 'KAFKA_SSL', description: 'connect to the Kafka brokers over TLS', default: 'false', expected: 'true or false', parse: parse.bool },
  kafkaSslCaFile: {
    env: 'KAFKA_SSL_CA_FILE',
    description: 'PEM bundle of the CA that signed the brokers\' certificates (for a private CA; "-": the system CAs)',
    default: '-',
    expected: 'an absolute path to a PEM file, or "-"',
    parse: optionalPath,
  },
  kafkaSslCertFile: {
    env: 'KAFKA_SSL_CERT_FILE',
    description: 'PEM client certificate for mutual TLS ("-": none)',
    default: '-',
    expected: 'an absolute path to a PEM file, or "-"',
    parse: optionalPath,
  },
  kafkaSslKeyFile: {
    env: 'KAFKA_SSL_KEY_FILE',
    description: 'PEM private key of the client certificate ("-": none)',
    default: '-',
    expected: 'an absolute path to a PEM file, or "-"',
    parse: optionalPath,
  },
  kafkaSaslMechanism: {
    env: 'KAFKA_SASL_MECHANISM',
    description: 'SASL mechanism for the brokers ("-": no SASL)',
    default: '-',
    expected: 'plain, scram-sha-256, scram-sha-512, or "-"',
    parse: (raw) => {
      const m = raw.toLowerCase();
      return m === '-' ? '' : m === 'plain' || m === 'scram-sha-256' || m === 'scram-sha-512' ? m : undefined;
    },
  },
  kafkaSaslUsername: { env: 'KAFKA_SASL_USERNAME', description: 'SASL user name ("-": none)', default: '-', expected: 'the user name, or "-"', parse: optional },
  kafkaSaslPassword: { env: 'KAFKA_SASL_PASSWORD', description: 'SASL password ("-": none, or see KAFKA_SASL_PASSWORD_FILE)', secret: true, default: '-', expected: 'the password, or "-"', parse: optional },
  kafkaSaslPasswordFile: {
    env: 'KAFKA_SASL_PASSWORD_FILE',
    description: 'file holding the SASL password, instead of KAFKA_SASL_PASSWORD ("-": none)',
    default: '-',
    expected: 'an absolute path, or "-"',
    parse: optionalPath,
  },
  kafkaTopicPartitions: {
    env: 'KAFKA_TOPIC_PARTITIONS',
    description: 'partitions of the topics this service creates when missing (the most consumer replicas that get work)',
    default: '3',
    expected: 'an integer 1-1000 (Helm: kafka.topicPartitions)',
    parse: parse.int(1, 1000),
  },
};

type ReadFile = (path: string) => string;
const readUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/** Problem with a file setting, or undefined when it can be read (and holds PEM, when `pem`). */
function fileProblem(env: string, path: string, pem: boolean, helm: string, readFile: ReadFile): string | undefined {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return `${env}=${JSON.stringify(path)} cannot be read (${code}): mount the file there (${helm}) or correct the path.`;
  }
  if (pem && !text.includes('-----BEGIN ')) return `${env}=${JSON.stringify(path)} holds no PEM block (-----BEGIN ...): point it at the PEM file, not a DER or PKCS#12 one.`;
  if (!pem && text.trim() === '') return `${env}=${JSON.stringify(path)} is empty: put the password in the file (${helm}).`;
  return undefined;
}

/**
 * The cross-setting rules of {@link kafkaClientSettings}: TLS files need KAFKA_SSL=true and must be readable PEM, a
 * client certificate needs its key, a SASL mechanism needs a user name and exactly one password source, and SASL
 * credentials need a mechanism. `readFile` is a test hook.
 */
export function checkKafkaClient(readFile: ReadFile = readUtf8): SettingsCheck<KafkaClientConfig> {
  return (c) => {
    const problems: string[] = [];
    const files: [string, string | undefined, string][] = [
      ['KAFKA_SSL_CA_FILE', c.kafkaSslCaFile, 'Helm: kafka.tls.caSecret'],
      ['KAFKA_SSL_CERT_FILE', c.kafkaSslCertFile, 'Helm: kafka.tls.clientCertSecret'],
      ['KAFKA_SSL_KEY_FILE', c.kafkaSslKeyFile, 'Helm: kafka.tls.clientCertSecret'],
    ];
    for (const [env, path, helm] of files) {
      if (!path) continue;
      if (c.kafkaSsl === false) problems.push(`${env} is set but KAFKA_SSL is false: set KAFKA_SSL=true to connect over TLS, or unset ${env}.`);
      else {
        const p = fileProblem(env, path, true, helm, readFile);
        if (p) problems.push(p);
      }
    }
    if (c.kafkaSslCertFile !== undefined && c.kafkaSslKeyFile !== undefined && !c.kafkaSslCertFile !== !c.kafkaSslKeyFile) {
      problems.push('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (client certificate authentication): set both, or neither.');
    }
    const mechanism = c.kafkaSaslMechanism;
    if (mechanism) {
      if (c.kafkaSaslUsername === '') problems.push(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME: set it (Helm: kafka.sasl.existingSecret, key kafka.sasl.usernameKey).`);
      if (c.kafkaSaslPassword === '' && c.kafkaSaslPasswordFile === '') {
        problems.push(`KAFKA_SASL_MECHANISM=${mechanism} needs a password: set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE (Helm: kafka.sasl.existingSecret, key kafka.sasl.passwordKey).`);
      }
      if (c.kafkaSaslPassword && c.kafkaSaslPasswordFile) problems.push('KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are both set: keep one of them.');
      else if (c.kafkaSaslPasswordFile) {
        const p = fileProblem('KAFKA_SASL_PASSWORD_FILE', c.kafkaSaslPasswordFile, false, 'Helm: kafka.sasl.existingSecret', readFile);
        if (p) problems.push(p);
      }
    } else if (mechanism === '') {
      for (const [env, value] of [
        ['KAFKA_SASL_USERNAME', c.kafkaSaslUsername],
        ['KAFKA_SASL_PASSWORD', c.kafkaSaslPassword],
        ['KAFKA_SASL_PASSWORD_FILE', c.kafkaSaslPasswordFile],
      ] as const) {
        if (value) problems.push(`${env} is set but KAFKA_SASL_MECHANISM is not: set KAFKA_SASL_MECHANISM to plain, scram-sha-256 or scram-sha-512, or unset ${env}.`);
      }
    }
    return problems;
  };
}

/** TLS and SASL options for the Kafka client, in the shape `createKafka` (libs/messaging) takes. */
export interface KafkaConnectionOptions {
  ssl: boolean | { ca?: string[]; cert?: string; key?: string };
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
}

/**
 * Returns the TLS and SASL options of a config that passed {@link checkKafkaClient}, with the PEM files and the
 * password file read now (at boot), so a file that vanished since fails before the service serves.
 */
export function kafkaConnectionOptions(c: KafkaClientConfig, readFile: ReadFile = readUtf8): KafkaConnectionOptions {
  let ssl: KafkaConnectionOptions['ssl'] = c.kafkaSsl;
  if (c.kafkaSsl && (c.kafkaSslCaFile || c.kafkaSslCertFile)) {
    ssl = {
      ...(c.kafkaSslCaFile ? { ca: [readFile(c.kafkaSslCaFile)] } : {}),
      ...(c.kafkaSslCertFile ? { cert: readFile(c.kafkaSslCertFile), key: readFile(c.kafkaSslKeyFile) } : {}),
    };
  }
  if (!c.kafkaSaslMechanism) return { ssl };
  const password = c.kafkaSaslPasswordFile ? readFile(c.kafkaSaslPasswordFile).replace(/\r?\n$/, '') : c.kafkaSaslPassword;
  return { ssl, sasl: { mechanism: c.kafkaSaslMechanism, username: c.kafkaSaslUsername, password } };
}
