import { AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';
import { CamundaErrorCode } from './camunda.errors.js';
import { translateEngineError } from './engine-error-translator.js';

function engineAnswered(status: number, data: unknown): AxiosError {
  const config = { headers: new AxiosHeaders({ Authorization: 'Basic c2VjcmV0' }) };
  const response = { status, data, statusText: '', headers: {}, config } as AxiosResponse;
  return new AxiosError('Request failed', 'ERR_BAD_RESPONSE', config, undefined, response);
}

describe('translateEngineError', () => {
  it('keeps Java class names out of the message a client sees', () => {
    const error = translateEngineError(
      engineAnswered(400, {
        type: 'RestException',
        message:
          "org.camunda.bpm.engine.MismatchingMessageCorrelationException: Cannot correlate message 'm': No process definition or execution matches the parameters",
      }),
      'correlate',
    );
    expect(error.message).toBe("Cannot correlate message 'm': No process definition or execution matches the parameters");
    expect(error.code).toBe(CamundaErrorCode.NotFound);
  });

  it.each([
    [404, { type: 'InvalidRequestException', message: 'No matching process definition' }, CamundaErrorCode.NotFound],
    [400, { type: 'InvalidRequestException', message: 'bad' }, CamundaErrorCode.Rejected],
    [500, { type: 'TaskAlreadyClaimedException', message: 'claimed' }, CamundaErrorCode.Conflict],
    [500, { type: 'OptimisticLockingException', message: 'locked' }, CamundaErrorCode.Conflict],
    [401, '', CamundaErrorCode.CredentialsRejected],
    [403, { type: 'AuthorizationException', message: 'no' }, CamundaErrorCode.Forbidden],
    [503, 'down', CamundaErrorCode.Unavailable],
    [500, { type: 'ProcessEngineException', message: 'boom' }, CamundaErrorCode.EngineFailure],
    [500, { type: 'NullValueException', message: "execution 42 doesn't exist: execution is null" }, CamundaErrorCode.NotFound],
    [500, { type: 'NullValueException', message: 'Cannot find task with id 42: task is null' }, CamundaErrorCode.NotFound],
    [500, { type: 'NullValueException', message: 'variableName is null' }, CamundaErrorCode.Rejected],
    [500, { type: 'ProcessEngineException', message: "ENGINE-13053 No job found with id 'x'." }, CamundaErrorCode.NotFound],
    [400, { type: 'BadUserRequestException', message: 'incident is null' }, CamundaErrorCode.NotFound],
    [
      400,
      {
        type: 'RestException',
        message:
          "org.camunda.bpm.engine.MismatchingMessageCorrelationException: Cannot correlate message 'm': No process definition or execution matches the parameters",
      },
      CamundaErrorCode.NotFound,
    ],
    [
      400,
      {
        type: 'RestException',
        message:
          "org.camunda.bpm.engine.MismatchingMessageCorrelationException: Cannot correlate a message with name 'm' to a single execution. 2 executions match",
      },
      CamundaErrorCode.Conflict,
    ],
    [500, { type: 'ProcessEngineException', message: "ENGINE-09003 Could not parse 'x.bpmn'." }, CamundaErrorCode.Rejected],
    [400, { type: 'InvalidRequestException', message: "Cannot find task with id 'x'.: task is null" }, CamundaErrorCode.NotFound],
    [400, { type: 'InvalidRequestException', message: 'No task found for task id x' }, CamundaErrorCode.NotFound],
    [500, { type: 'ProcessEngineException', message: "ENGINE-22004 Unable to transform DMN resource 'bad.dmn'." }, CamundaErrorCode.Rejected],
    [
      500,
      {
        type: 'ProcessEngineException',
        message: "Cannot instantiate process definition p:1:x: Unknown property used in expression: ${amount > 5}. Cause: Cannot resolve identifier 'amount'",
      },
      CamundaErrorCode.Rejected,
    ],
    [500, { type: 'ProcessEngineException', message: 'Object values cannot be used to query' }, CamundaErrorCode.Rejected],
    [500, Buffer.from(JSON.stringify({ type: 'NullValueException', message: "process instance 'x' doesn't exist" })), CamundaErrorCode.NotFound],
    [500, { type: 'ProcessEngineException', message: 'ENGINE-03076 Deletion of process definition without cascading failed.' }, CamundaErrorCode.Conflict],
    [
      500,
      { type: 'ProcessEngineException', message: "Cannot instantiate process definition x: ENGINE-03043 Process Definition with id 'x' is suspended." },
      CamundaErrorCode.Conflict,
    ],
  ])('HTTP %i %j -> %s', (status, body, code) => {
    const error = translateEngineError(engineAnswered(status, body), 'test');
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('c2VjcmV0');
  });

  it('keeps the line, column and element of each parse problem', () => {
    const body = {
      type: 'ParseException',
      message: 'ENGINE-09005 Could not parse BPMN process.',
      details: { 'a.bpmn': { errors: [{ message: "Invalid destination 'x'", line: 5, column: 72, mainElementId: 'f1' }], warnings: [] } },
    };
    const error = translateEngineError(engineAnswered(400, body), 'deploy');
    expect(error.code).toBe(CamundaErrorCode.Rejected);
    expect(error.problems).toEqual([{ resource: 'a.bpmn', message: "Invalid destination 'x'", line: 5, column: 72, elementId: 'f1' }]);
  });

  it('treats a refused connection as the engine being unavailable', () => {
    const refused = new AxiosError('connect ECONNREFUSED 127.0.0.1:8080', 'ECONNREFUSED');
    const error = translateEngineError(refused, 'start process');
    expect(error.code).toBe(CamundaErrorCode.Unavailable);
    expect(error.message).toBe('Camunda engine is unreachable (ECONNREFUSED) during start process');
  });
});
