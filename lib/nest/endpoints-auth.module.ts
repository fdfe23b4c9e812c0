import type { DynamicModule, FactoryProvider, ModuleMetadata, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { EndpointsAuthOptions } from '../kernel/config.js';
import { endpointsAuth, type EndpointsAuth } from '../express/endpoints-auth.js';
import { EndpointsAuthFilter } from './endpoints-auth.filter.js';
import { EndpointsAuthGuard } from './endpoints-auth.guard.js';
import { ENDPOINTS_AUTH } from './tokens.js';

/** The document and the options of `endpointsAuth`; refusals are always answered by the module's filter. */
export interface EndpointsAuthModuleOptions extends Omit<EndpointsAuthOptions, 'onError'> {
  readonly spec: unknown;
}

export interface EndpointsAuthModuleAsyncOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: FactoryProvider['inject'];
  readonly useFactory: (...args: any[]) => EndpointsAuthModuleOptions | Promise<EndpointsAuthModuleOptions>;
}

const build = ({ spec, ...options }: EndpointsAuthModuleOptions): EndpointsAuth => endpointsAuth(spec, options);

/** Guards every HTTP route of the application with the OpenAPI document, as ESP would. */
export class EndpointsAuthModule {
  static forRoot(options: EndpointsAuthModuleOptions): DynamicModule {
    // Built when Nest instantiates the module, so a bad document fails NestFactory.create, not the import.
    return EndpointsAuthModule.with({ provide: ENDPOINTS_AUTH, useFactory: () => build(options) });
  }

  static forRootAsync(options: EndpointsAuthModuleAsyncOptions): DynamicModule {
    return EndpointsAuthModule.with(
      { provide: ENDPOINTS_AUTH, inject: options.inject ?? [], useFactory: async (...args: unknown[]) => build(await options.useFactory(...args)) },
      options.imports,
    );
  }

  private static with(auth: Provider, imports: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: EndpointsAuthModule,
      global: true,
      imports,
      providers: [
        auth,
        { provide: APP_GUARD, inject: [ENDPOINTS_AUTH], useFactory: (a: EndpointsAuth) => new EndpointsAuthGuard(a) },
        { provide: APP_FILTER, useFactory: () => new EndpointsAuthFilter() },
      ],
      exports: [ENDPOINTS_AUTH],
    };
  }
}
