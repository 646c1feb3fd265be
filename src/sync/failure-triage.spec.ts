import type { DataSource } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import type { HistoryClient } from '../camunda/clients/history.client.js';
import { CamundaError, CamundaErrorCode } from '../camunda/camunda.errors.js';
import { FailureTriage } from './failure-triage.js';

function triage({ databaseAnswers = true, engineAnswers = true } = {}): FailureTriage {
  const dataSource = {
    query: async () => (databaseAnswers ? [{ '?column?': 1 }] : Promise.reject(new Error('Connection terminated'))),
  } as unknown as DataSource;
  const history = {
    listHistoricProcessInstances: async () => (engineAnswers ? [] : Promise.reject(new CamundaError(CamundaErrorCode.EngineFailure, 'persistence layer'))),
  } as unknown as HistoryClient;
  return new FailureTriage(dataSource, history);
}

describe('FailureTriage', () => {
  it('takes an unreachable engine or rejected credentials for an outage', async () => {
    await expect(triage().isOutage(new CamundaError(CamundaErrorCode.Unavailable, 'unreachable'))).resolves.toBe(true);
    await expect(triage().isOutage(new CamundaError(CamundaErrorCode.CredentialsRejected, 'no'))).resolves.toBe(true);
  });

  it('takes a lost database connection for an outage', async () => {
    const lost = new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection'), { code: '57P01' }));
    await expect(triage().isOutage(lost)).resolves.toBe(true);
  });

  it('blames the instance when engine and database still answer other questions', async () => {
    const unstorable = new QueryFailedError('INSERT', [], Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }));
    await expect(triage().isOutage(unstorable)).resolves.toBe(false);
    await expect(triage().isOutage(new SyntaxError('Unexpected token n in JSON'))).resolves.toBe(false);
    await expect(triage().isOutage(new CamundaError(CamundaErrorCode.EngineFailure, 'boom'))).resolves.toBe(false);
  });

  it('takes an engine failure for an outage when the engine fails other questions too', async () => {
    await expect(triage({ engineAnswers: false }).isOutage(new CamundaError(CamundaErrorCode.EngineFailure, 'persistence layer'))).resolves.toBe(true);
    await expect(triage({ databaseAnswers: false }).isOutage(new Error('odd'))).resolves.toBe(true);
  });
});
