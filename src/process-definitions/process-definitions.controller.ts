import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DefinitionQueryDto } from './dto/definition-query.dto.js';
import { ProcessDefinitionView } from './process-definition.view.js';
import { ProcessDefinitionsService } from './process-definitions.service.js';

@ApiTags('process-definitions')
@Controller('process-definitions')
export class ProcessDefinitionsController {
  constructor(private readonly definitions: ProcessDefinitionsService) {}

  @Get()
  @ApiOperation({ summary: 'Deployed process definitions, from the mirror' })
  @ApiOkResponse({ type: [ProcessDefinitionView] })
  list(@Query() query: DefinitionQueryDto): Promise<ProcessDefinitionView[]> {
    return this.definitions.list(query);
  }
}
