import { loadSettings, parse, type Settings } from './settings';

interface Demo {
  databaseUrl: string;
  port: number;
  apiKey: Buffer;
  verbose: boolean;
}

const settings: Settings<Demo> = {
  databaseUrl: { env: 'DATABASE_URL', description: 'PostgreSQL connection URL', secret: true, expected: 'postgres://user:password@host:5432/db', parse: parse.postgresUrl },
  port: { env: 'PORT', description: 'HTTP port', default: '3000', expected: 'an integer 0-65535', parse: parse.int(0, 65535) },
  apiKey: { env: 'DEMO_KEY', description: 'encryption key', secret: true, expected: '32 bytes, base64', parse: parse.base64Key(32) },
  verbose: { env: 'DEMO_VERBOSE', description: 'log more', default: 'false', expected: 'true or false', parse: parse.bool },
};

describe('loadSettings', () => {
  it('returns typed values with defaults filled in', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadSettings('demo', settings, { DATABASE_URL: 'postgres://u:p@h/db', DEMO_KEY: key })).toEqual({
      databaseUrl: 'postgres://u:p@h/db',
      port: 3000,
      apiKey: Buffer.alloc(32, 7),
      verbose: false,
    });
  });

  it('lists every problem in one error, naming the variable and expected form, and never echoes a secret', () => {
    expect(() => loadSettings('demo', settings, { DATABASE_URL: 'mysql://secret@h', PORT: '70000', DEMO_VERBOSE: 'yes' }, 'Helm values demo.env')).toThrow(
      [
        'demo cannot start; fix these settings (Helm values demo.env):',
        '- DATABASE_URL=<redacted> is invalid (PostgreSQL connection URL); expected postgres://user:password@host:5432/db.',
        '- PORT="70000" is invalid (HTTP port); expected an integer 0-65535.',
        '- DEMO_KEY is required (encryption key); expected 32 bytes, base64.',
        '- DEMO_VERBOSE="yes" is invalid (log more); expected true or false.',
      ].join('\n'),
    );
  });
});

describe('parse', () => {
  it('reads broker lists, identifiers, URLs and topic suffixes, refusing malformed ones', () => {
    expect(parse.brokers('a:9092, b:9093')).toEqual(['a:9092', 'b:9093']);
    expect(parse.brokers('localhost')).toBeUndefined();
    expect(parse.identifier('store_gateway')).toBe('store_gateway');
    expect(parse.identifier('Store-Gateway')).toBeUndefined();
    expect(parse.httpUrl('https://ll.example.com/')).toBe('https://ll.example.com');
    expect(parse.httpUrl('https://ll.example.com/?x=1')).toBeUndefined();
    expect(parse.topicSuffix('-')).toBe('');
    expect(parse.topicSuffix('t-abc123')).toBe('t-abc123');
    expect(parse.base64Key(32)(Buffer.alloc(16).toString('base64'))).toBeUndefined();
  });
});
