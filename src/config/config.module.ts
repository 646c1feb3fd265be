import { Global, Module } from '@nestjs/common';
import { ConfigModule as EnvFileModule } from '@nestjs/config';
import { GatewayConfig, validateGatewayConfig } from './gateway-config.js';

/**
 * @nestjs/config loads an optional `.env` into the environment; the environment is then validated once into
 * the typed GatewayConfig that every module injects. A bad value stops the boot.
 */
@Global()
@Module({
  imports: [EnvFileModule.forRoot({ ignoreEnvFile: process.env.NODE_ENV === 'test' })],
  providers: [{ provide: GatewayConfig, useFactory: () => validateGatewayConfig(process.env) }],
  exports: [GatewayConfig],
})
export class ConfigModule {}
