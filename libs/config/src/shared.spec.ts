import { loadSettings, type Settings } from './settings';
import { checkKafkaClient, kafkaClientSettings, kafkaConnectionOptions, runModeSettings, type KafkaClientConfig, type RunModeConfig } from './shared';

type Demo = KafkaClientConfig & RunModeConfig;
const settings: Settings<Demo> = { ...kafkaClientSettings, ...runModeSettings };

const files: Record<string, string> = {
  '/etc/kafka/ca.crt': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  '/etc/kafka/client.crt': '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n',
  '/etc/kafka/client.key': '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
  '/etc/kafka/ca.der': '0\x82\x03',
  '/etc/kafka/password': 's3cret-from-file\n',
  '/etc/kafka/empty': '',
};
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
  return text;
};
const load = (env: NodeJS.ProcessEnv) => loadSettings('demo', settings, env, 'environment variables', [checkKafkaClient(readFile)]);

describe('Kafka client settings', () => {
  it('defaults to plaintext without SASL, 3 partitions, serving (not migrate-only)', () => {
    const c = load({});
    expect(c).toEqual({
      kafkaSsl: false,
      kafkaSslCaFile: '',
      kafkaSslCertFile: '',
      kafkaSslKeyFile: '',
      kafkaSaslMechanism: '',
      kafkaSaslUsername: '',
      kafkaSaslPassword: '',
      kafkaSaslPasswordFile: '',
      kafkaTopicPartitions: 3,
      migrateOnly: false,
    });
    expect(kafkaConnectionOptions(c, readFile)).toEqual({ ssl: false });
  });

  it('builds TLS with a private CA and a client certificate, and SCRAM with the password from a file', () => {
    const c = load({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: '/etc/kafka/ca.crt',
      KAFKA_SSL_CERT_FILE: '/etc/kafka/client.crt',
      KAFKA_SSL_KEY_FILE: '/etc/kafka/client.key',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'ledgerline',
      KAFKA_SASL_PASSWORD_FILE: '/etc/kafka/password',
      KAFKA_TOPIC_PARTITIONS: '12',
      LEDGERLINE_MIGRATE_ONLY: '1',
    });
    expect(c.kafkaTopicPartitions).toBe(12);
    expect(c.migrateOnly).toBe(true);
    expect(kafkaConnectionOptions(c, readFile)).toEqual({
      ssl: { ca: [files['/etc/kafka/ca.crt']], cert: files['/etc/kafka/client.crt'], key: files['/etc/kafka/client.key'] },
      sasl: { mechanism: 'scram-sha-512', username: 'ledgerline', password: 's3cret-from-file' },
    });
  });

  it('takes TLS with the system CAs and SASL PLAIN with the password from the environment', () => {
    const c = load({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', LEDGERLINE_MIGRATE_ONLY: 'false' });
    expect(kafkaConnectionOptions(c, readFile)).toEqual({ ssl: true, sasl: { mechanism: 'plain', username: 'u', password: 'p' } });
  });

  it('lists every invalid value in one error, naming the variable and the expected form, without echoing the password', () => {
    expect(() =>
      load({ KAFKA_SSL: 'yes', KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SSL_CA_FILE: 'ca.crt', KAFKA_TOPIC_PARTITIONS: '0', LEDGERLINE_MIGRATE_ONLY: 'please', KAFKA_SASL_PASSWORD: '' }),
    ).toThrow(
      [
        'demo cannot start; fix these settings (environment variables):',
        '- KAFKA_SSL="yes" is invalid (connect to the Kafka brokers over TLS); expected true or false.',
        '- KAFKA_SSL_CA_FILE="ca.crt" is invalid (PEM bundle of the CA that signed the brokers\' certificates (for a private CA; "-": the system CAs)); expected an absolute path to a PEM file, or "-".',
        '- KAFKA_SASL_MECHANISM="gssapi" is invalid (SASL mechanism for the brokers ("-": no SASL)); expected plain, scram-sha-256, scram-sha-512, or "-".',
        '- KAFKA_SASL_PASSWORD is required (SASL password ("-": none, or see KAFKA_SASL_PASSWORD_FILE)); expected the password, or "-".',
        '- KAFKA_TOPIC_PARTITIONS="0" is invalid (partitions of the topics this service creates when missing (the most consumer replicas that get work)); expected an integer 1-1000 (Helm: kafka.topicPartitions).',
        '- LEDGERLINE_MIGRATE_ONLY="please" is invalid (run this service\'s database migrations, then exit 0 (the chart\'s migration Job sets it)); expected 1, true, 0 or false.',
      ].join('\n'),
    );
  });

  it('explains combinations that cannot work and what to change', () => {
    let message = '';
    try {
      load({
        KAFKA_SSL_CA_FILE: '/etc/kafka/ca.crt',
        KAFKA_SASL_USERNAME: 'ledgerline',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n').slice(1)).toEqual([
      '- KAFKA_SSL_CA_FILE is set but KAFKA_SSL is false: set KAFKA_SSL=true to connect over TLS, or unset KAFKA_SSL_CA_FILE.',
      '- KAFKA_SASL_USERNAME is set but KAFKA_SASL_MECHANISM is not: set KAFKA_SASL_MECHANISM to plain, scram-sha-256 or scram-sha-512, or unset KAFKA_SASL_USERNAME.',
    ]);

    try {
      load({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: '/etc/kafka/missing.crt',
        KAFKA_SSL_CERT_FILE: '/etc/kafka/ca.der',
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_PASSWORD: 'p',
        KAFKA_SASL_PASSWORD_FILE: '/etc/kafka/password',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n').slice(1)).toEqual([
      '- KAFKA_SSL_CA_FILE="/etc/kafka/missing.crt" cannot be read (ENOENT): mount the file there (Helm: kafka.tls.caSecret) or correct the path.',
      '- KAFKA_SSL_CERT_FILE="/etc/kafka/ca.der" holds no PEM block (-----BEGIN ...): point it at the PEM file, not a DER or PKCS#12 one.',
      '- KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (client certificate authentication): set both, or neither.',
      '- KAFKA_SASL_MECHANISM=scram-sha-256 needs KAFKA_SASL_USERNAME: set it (Helm: kafka.sasl.existingSecret, key kafka.sasl.usernameKey).',
      '- KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are both set: keep one of them.',
    ]);
    expect(message).not.toContain('p,');

    expect(() => load({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' })).toThrow(
      'KAFKA_SASL_MECHANISM=plain needs a password: set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE (Helm: kafka.sasl.existingSecret, key kafka.sasl.passwordKey).',
    );
    expect(() => load({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: '/etc/kafka/empty' })).toThrow(
      'KAFKA_SASL_PASSWORD_FILE="/etc/kafka/empty" is empty: put the password in the file (Helm: kafka.sasl.existingSecret).',
    );
  });
});
