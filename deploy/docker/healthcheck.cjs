// Docker HEALTHCHECK: exits 0 when GET /health/live answers 200 within 3 s. The port comes from the variable the
// service reads it from (LEDGERLINE_PORT_ENV names it: PORT for services, SANDBOX_<NAME>_PORT for sandboxes).
'use strict';
const http = require('node:http');
const port = Number(process.env[process.env.LEDGERLINE_PORT_ENV || 'PORT'] || 3000);
const req = http.get({ host: '127.0.0.1', port, path: '/health/live', timeout: 3000 }, (res) => process.exit(res.statusCode === 200 ? 0 : 1));
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
