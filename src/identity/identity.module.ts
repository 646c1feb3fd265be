import { Module } from '@nestjs/common';
import { IdentityProvisioner } from './identity-provisioner.js';

@Module({
  providers: [IdentityProvisioner],
  exports: [IdentityProvisioner],
})
export class IdentityModule {}
