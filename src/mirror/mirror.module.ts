import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MIRROR_ENTITIES } from './mirror-entities.js';

/** Repositories of the mirror tables. Capabilities read them; only sync/ writes them. */
@Module({
  imports: [TypeOrmModule.forFeature(MIRROR_ENTITIES)],
  exports: [TypeOrmModule],
})
export class MirrorModule {}
