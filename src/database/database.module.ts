import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { dataSourceOptions } from './data-source-options.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [GatewayConfig],
      // Boot must not hang forever on a dead database; it fails with a clear message instead.
      useFactory: (config: GatewayConfig) => ({ ...dataSourceOptions(config.DATABASE_URL), retryAttempts: 3, retryDelay: 2_000 }),
    }),
  ],
})
export class DatabaseModule {}
