import { NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { CamundaError, CamundaErrorCode } from '../camunda/camunda.errors.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { GatewayError, GatewayErrorCode } from './gateway-error.js';

describe('ProblemDetailsFilter', () => {
  const filter = new ProblemDetailsFilter();

  it('maps engine errors through the catalog', () => {
    expect(filter.toProblem(new CamundaError(CamundaErrorCode.Conflict, 'Task is already claimed'), '/tasks/1/claim')).toEqual({
      type: 'urn:camunda-gateway:problem:camunda-conflict',
      title: 'Conflicting change in the process engine',
      status: 409,
      detail: 'Task is already claimed',
      instance: '/tasks/1/claim',
      code: 'CAMUNDA_CONFLICT',
    });
  });

  it('names the request it answers, when told which', () => {
    const error = new GatewayError(GatewayErrorCode.ValidationFailed, 'Invalid userId');
    expect(filter.toProblem(error, '/x', 'req-7')).toMatchObject({ status: 400, requestId: 'req-7' });
    expect(filter.toProblem(error, '/x')).not.toHaveProperty('requestId');
  });

  it('keeps field errors of validation failures', () => {
    const problem = filter.toProblem(
      new GatewayError(GatewayErrorCode.ValidationFailed, 'Invalid userId', [{ field: 'userId', messages: ['must not be empty'] }]),
      '/x',
    );
    expect(problem).toMatchObject({ status: 400, errors: [{ field: 'userId', messages: ['must not be empty'] }] });
  });

  it('turns a lost database connection into 503, not 500', () => {
    const lost = new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    expect(filter.toProblem(lost, '/tasks')).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
  });

  it('turns a refused database connection into 503, in whatever shape Node reports it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(filter.toProblem(refused, '/tasks')).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(filter.toProblem(new AggregateError([refused], ''), '/tasks')).toMatchObject({ status: 503 });
    expect(filter.toProblem(new Error('query failed', { cause: refused }), '/tasks')).toMatchObject({ status: 503 });
  });

  it('hides the internals of unexpected errors', () => {
    const problem = filter.toProblem(new TypeError("Cannot read properties of undefined (reading 'secret')"), '/x');
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(problem.detail).not.toContain('secret');
  });

  it('keeps the status of framework HTTP errors', () => {
    expect(filter.toProblem(new NotFoundException('Cannot GET /nope'), '/nope')).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  });
});
