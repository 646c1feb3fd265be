import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProcessDefinitionRecord } from '../mirror/process-definition.entity.js';
import type { DefinitionQueryDto } from './dto/definition-query.dto.js';
import { ProcessDefinitionView } from './process-definition.view.js';

@Injectable()
export class ProcessDefinitionsService {
  constructor(@InjectRepository(ProcessDefinitionRecord) private readonly definitions: Repository<ProcessDefinitionRecord>) {}

  async list(query: DefinitionQueryDto): Promise<ProcessDefinitionView[]> {
    const builder = this.definitions.createQueryBuilder('definition').orderBy('definition.key', 'ASC').addOrderBy('definition.version', 'DESC');
    if (query.key) builder.andWhere('definition.key = :key', { key: query.key });
    if (query.latestOnly) {
      builder.andWhere(
        `definition.version = (SELECT max(latest.version) FROM process_definitions latest
          WHERE latest.key = definition.key AND latest.tenant_id IS NOT DISTINCT FROM definition.tenant_id)`,
      );
    }
    return (await builder.getMany()).map(ProcessDefinitionView.of);
  }
}
