import { Inject, type DynamicModule, type InjectionToken, type ModuleMetadata, type OnModuleDestroy, type OptionalFactoryDependency, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { refuseOnError, type EndpointsAuthOptions } from '../kernel/config.js';
import { endpointsAuth, type EndpointsAuth } from '../express/endpoints-auth.js';
import { EndpointsAuthFilter } from './endpoints-auth.filter.js';
import { EndpointsAuthGuard } from './endpoints-auth.guard.js';
import { ENDPOINTS_AUTH } from './tokens.js';

/** The document and the options of `endpointsAuth`; refusals are always answered by the module's filter. */
export interface EndpointsAuthModuleOptions extends Omit<EndpointsAuthOptions, 'onError'> {
  readonly spec: unknown;
}

/** Where the guard applies. */
export interface EndpointsAuthModuleScope {
  /**
   * `true` (default): the guard runs for every route of the application (an `APP_GUARD`). `false`: no
   * guard is registered; apply `@UseGuards(EndpointsAuthGuard)` where you want it, or list
   * `{ provide: APP_GUARD, useExisting: EndpointsAuthGuard }` among your own global guards, first.
   */
  readonly global?: boolean;
}

/** A class that gives the module its options: `forRootAsync({ useClass })` or `({ useExisting })`. */
export interface EndpointsAuthOptionsFactory {
  createEndpointsAuthOptions(): EndpointsAuthModuleOptions | Promise<EndpointsAuthModuleOptions>;
}

/** Options read when the application starts: from a factory, a class of yours, or a provider that exists. */
export type EndpointsAuthModuleAsyncOptions = EndpointsAuthModuleScope & {
  readonly imports?: ModuleMetadata['imports'];
} & (
    | {
        readonly useFactory: (...args: any[]) => EndpointsAuthModuleOptions | Promise<EndpointsAuthModuleOptions>;
        readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
        readonly useClass?: never;
        readonly useExisting?: never;
      }
    | { readonly useClass: Type<EndpointsAuthOptionsFactory>; readonly useFactory?: never; readonly useExisting?: never; readonly inject?: never }
    | { readonly useExisting: InjectionToken<EndpointsAuthOptionsFactory>; readonly useFactory?: never; readonly useClass?: never; readonly inject?: never }
  );

const build = ({ spec, ...options }: EndpointsAuthModuleOptions): EndpointsAuth => {
  refuseOnError(options, 'EndpointsAuthModule', "whose filter answers refusals with ESP's response (catch EndpointsAuthError in a filter of your own to answer otherwise)");
  return endpointsAuth(spec, options);
};
const fromFactory = async (factory: EndpointsAuthOptionsFactory) => build(await factory.createEndpointsAuthOptions());

/** Guards the application's HTTP routes (and GraphQL resolvers) with the OpenAPI document, as ESP would. */
export class EndpointsAuthModule implements OnModuleDestroy {
  constructor(private readonly auth: EndpointsAuth) {}

  static forRoot({ global, ...options }: EndpointsAuthModuleOptions & EndpointsAuthModuleScope): DynamicModule {
    // Built when Nest instantiates the module, so a bad document fails NestFactory.create, not the import.
    return EndpointsAuthModule.with({ provide: ENDPOINTS_AUTH, useFactory: () => build(options) }, { global });
  }

  static forRootAsync(options: EndpointsAuthModuleAsyncOptions): DynamicModule {
    if (options.useFactory) {
      const { useFactory, inject = [] } = options;
      return EndpointsAuthModule.with({ provide: ENDPOINTS_AUTH, inject, useFactory: async (...args: unknown[]) => build(await useFactory(...args)) }, options);
    }
    if (options.useClass) {
      const factory = options.useClass;
      return EndpointsAuthModule.with({ provide: ENDPOINTS_AUTH, inject: [factory], useFactory: fromFactory }, options, [{ provide: factory, useClass: factory }]);
    }
    return EndpointsAuthModule.with({ provide: ENDPOINTS_AUTH, inject: [options.useExisting], useFactory: fromFactory }, options);
  }

  private static with(
    auth: Provider,
    scope: EndpointsAuthModuleScope & { readonly imports?: ModuleMetadata['imports'] },
    extra: Provider[] = [],
  ): DynamicModule {
    return {
      module: EndpointsAuthModule,
      // Global as a module, so `@UseGuards(EndpointsAuthGuard)` resolves in every module of the app.
      global: true,
      imports: scope.imports ?? [],
      providers: [
        ...extra,
        auth,
        EndpointsAuthGuard,
        ...(scope.global === false ? [] : [{ provide: APP_GUARD, useExisting: EndpointsAuthGuard }]),
        { provide: APP_FILTER, useFactory: () => new EndpointsAuthFilter() },
      ],
      exports: [ENDPOINTS_AUTH, EndpointsAuthGuard],
    };
  }

  /** The module built `auth`; its key refreshes stop with the application. */
  onModuleDestroy(): void {
    this.auth.close();
  }
}
// The decorator, applied as a call: the library needs no decorator compilation (see tsup.config.ts).
Inject(ENDPOINTS_AUTH)(EndpointsAuthModule, undefined, 0);
