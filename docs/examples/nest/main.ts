// NestJS example. Run: npx tsx docs/examples/nest/main.ts
// (tsx compiles the decorators from tsconfig's experimentalDecorators; Nest's CLI does the same.)
import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EndpointsAuthModule, Claims } from 'espresso-jwt/nest';
import { startDevIssuer } from '../shared/dev-issuer.js';

const issuer = await startDevIssuer();

@Controller('shelves')
class ShelvesController {
  @Get()
  list(@Claims() claims: Record<string, unknown>) {
    return { shelves: [], reader: claims.sub };
  }

  @Get(':shelf') // the document's /v1/shelves/{shelf}: the guard checks the route Nest dispatched, prefix included
  get(@Param('shelf') shelf: string, @Claims('email') email: string) {
    return { shelf, email };
  }
}

@Module({ imports: [EndpointsAuthModule.forRoot({ spec: issuer.spec })], controllers: [ShelvesController] })
class AppModule {}

const app = await NestFactory.create(AppModule);
app.setGlobalPrefix('v1');
await app.listen(8082, '127.0.0.1');
console.log(`curl -i http://127.0.0.1:8082/v1/shelves/7 -H "Authorization: Bearer ${await issuer.token()}"`);
