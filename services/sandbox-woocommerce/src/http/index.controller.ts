import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { SandboxRuntime } from '../sandbox-runtime';
import { route, SANDBOX_RUNTIME } from './route';
import type { SandboxRequest, SandboxResponse } from './sandbox-request';

const WC_ROUTES = [
  '/wc/v3/orders',
  '/wc/v3/orders/batch',
  '/wc/v3/orders/(?P<id>[\\d]+)',
  '/wc/v3/orders/(?P<order_id>[\\d]+)/refunds',
  '/wc/v3/orders/(?P<order_id>[\\d]+)/refunds/(?P<id>[\\d]+)',
  '/wc/v3/products',
  '/wc/v3/products/batch',
  '/wc/v3/products/(?P<id>[\\d]+)',
  '/wc/v3/products/(?P<product_id>[\\d]+)/variations',
  '/wc/v3/products/(?P<product_id>[\\d]+)/variations/batch',
  '/wc/v3/products/(?P<product_id>[\\d]+)/variations/(?P<id>[\\d]+)',
  '/wc/v3/customers',
  '/wc/v3/customers/batch',
  '/wc/v3/customers/(?P<id>[\\d]+)',
  '/wc/v3/webhooks',
  '/wc/v3/webhooks/batch',
  '/wc/v3/webhooks/(?P<id>[\\d]+)',
];

/**
 * `GET /wp-json/` and `GET /wp-json/wc/v3`: the REST index a client reads the store URL and the
 * namespace's routes from (OAuth signs against the URL the index reports). Abridged: routes
 * without their endpoint descriptions.
 */
@Controller('wp-json')
export class IndexController {
  constructor(@Inject(SANDBOX_RUNTIME) private readonly rt: SandboxRuntime) {}

  @Get()
  index(@Req() req: SandboxRequest, @Res() res: SandboxResponse): Promise<void> {
    return route(this.rt, req, res, () => {
      const home = this.rt.state.settings.siteUrl;
      return {
        body: {
          name: 'Ledgerline WooCommerce sandbox',
          description: 'A stand-in WooCommerce store',
          url: home,
          home,
          gmt_offset: String(this.rt.clock.utcOffsetMinutes / 60),
          timezone_string: '',
          namespaces: ['wc/v3'],
          authentication: [],
          routes: Object.fromEntries(['/', '/wc/v3', ...WC_ROUTES].map((r) => [r, { namespace: r === '/' ? '' : 'wc/v3' }])),
        },
      };
    });
  }

  @Get('wc/v3')
  namespace(@Req() req: SandboxRequest, @Res() res: SandboxResponse): Promise<void> {
    return route(this.rt, req, res, () => ({ body: { namespace: 'wc/v3', routes: Object.fromEntries(['/wc/v3', ...WC_ROUTES].map((r) => [r, { namespace: 'wc/v3' }])) } }));
  }
}
