import { applyDecorators, UseGuards, UseInterceptors } from '@nestjs/common';
import { FaultInjectionInterceptor } from '../faults/fault-injection.interceptor';
import { SandboxRequestGuard } from '../traffic/sandbox-request.guard';

/** Marks a controller as a Fortnox endpoint: counted, authenticated and rate limited (API paths), faultable. */
export function SandboxEndpoint(): ClassDecorator {
  return applyDecorators(UseGuards(SandboxRequestGuard), UseInterceptors(FaultInjectionInterceptor));
}
