import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CamundaClient } from '../camunda/camunda-client.js';
import { ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { SyncService } from '../sync/sync.service.js';
import type { StartProcessInstanceDto } from './dto/start-process-instance.dto.js';
import { ProcessInstanceView } from './process-instance.view.js';

@Injectable()
export class ProcessInstancesService {
  constructor(
    private readonly camunda: CamundaClient,
    private readonly sync: SyncService,
    @InjectRepository(ProcessInstanceRecord) private readonly instances: Repository<ProcessInstanceRecord>,
  ) {}

  async start(input: StartProcessInstanceDto): Promise<ProcessInstanceView> {
    const started = await this.camunda.startProcessInstance(input.processDefinitionKey, { businessKey: input.businessKey, variables: input.variables });
    await this.sync.refreshInstance(started.id);
    return this.get(started.id);
  }

  /** From the mirror; an instance the mirror has not seen yet (started in Cockpit a moment ago) is fetched once. */
  async get(id: string): Promise<ProcessInstanceView> {
    let record = await this.instances.findOneBy({ id });
    if (!record) {
      await this.sync.refreshInstance(id);
      record = await this.instances.findOneBy({ id });
    }
    if (!record) throw new GatewayError(GatewayErrorCode.ResourceNotFound, `Process instance '${id}' does not exist`);
    return ProcessInstanceView.of(record);
  }
}
