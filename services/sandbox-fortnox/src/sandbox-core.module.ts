import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { SandboxExceptionFilter } from './errors/sandbox-exception.filter';
import { SANDBOX, type SandboxContext } from './sandbox.context';

/** Provides the instance's {@link SandboxContext} to every feature module and renders every error. */
@Global()
@Module({})
export class SandboxCoreModule {
  static forRoot(ctx: SandboxContext): DynamicModule {
    return {
      module: SandboxCoreModule,
      providers: [{ provide: SANDBOX, useValue: ctx }, { provide: APP_FILTER, useClass: SandboxExceptionFilter }],
      exports: [SANDBOX],
    };
  }
}
