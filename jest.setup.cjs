require('reflect-metadata');
// Service logs are JSON lines meant for production; in tests only warnings and errors are worth the noise.
process.env.LOG_LEVEL ??= 'warn';
