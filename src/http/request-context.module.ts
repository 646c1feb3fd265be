import { Global, Module } from '@nestjs/common';
import { RequestContext } from './request-context.js';

/** The request context, for every module: foundations (events) and capabilities (sync) read it alike. */
@Global()
@Module({ providers: [RequestContext], exports: [RequestContext] })
export class RequestContextModule {}
