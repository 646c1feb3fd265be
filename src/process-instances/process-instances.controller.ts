import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EngineIdPipe } from '../problem/engine-id.pipe.js';
import { StartProcessInstanceDto } from './dto/start-process-instance.dto.js';
import { ProcessInstanceView } from './process-instance.view.js';
import { ProcessInstancesService } from './process-instances.service.js';

@ApiTags('process-instances')
@Controller('process-instances')
export class ProcessInstancesController {
  constructor(private readonly instances: ProcessInstancesService) {}

  @Post()
  @ApiOperation({ summary: 'Start the latest version of a process definition' })
  @ApiCreatedResponse({ type: ProcessInstanceView })
  start(@Body() body: StartProcessInstanceDto): Promise<ProcessInstanceView> {
    return this.instances.start(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A process instance as the mirror knows it' })
  @ApiOkResponse({ type: ProcessInstanceView })
  get(@Param('id', EngineIdPipe) id: string): Promise<ProcessInstanceView> {
    return this.instances.get(id);
  }
}
