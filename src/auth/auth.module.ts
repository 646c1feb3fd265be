import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { IdentityModule } from '../identity/identity.module.js';
import { AccessDeclarations } from './access-declarations.js';
import { AuthGuard } from './auth.guard.js';
import { MeController } from './me.controller.js';
import { TokenVerifier } from './token-verifier.js';

@Module({
  imports: [DiscoveryModule, IdentityModule],
  controllers: [MeController],
  providers: [TokenVerifier, AuthGuard, AccessDeclarations],
  exports: [AuthGuard],
})
export class AuthModule {}
