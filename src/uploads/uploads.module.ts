import { Module } from '@nestjs/common';
import { UploadLimitInterceptor } from './upload-limit.interceptor.js';
import { UploadSlots } from './upload-slots.js';

/** The bound on concurrent multipart uploads; http-app.ts installs the interceptor globally. */
@Module({
  providers: [UploadSlots, UploadLimitInterceptor],
  exports: [UploadLimitInterceptor],
})
export class UploadsModule {}
