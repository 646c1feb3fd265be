import { AcceptedWrite, afterEngineAccepted } from './accepted-write.js';

describe('afterEngineAccepted', () => {
  it('answers what the follow-up built when it succeeds', async () => {
    await expect(afterEngineAccepted('complete task', { id: 't1' }, async () => ({ id: 't1', state: 'COMPLETED' }))).resolves.toEqual({
      id: 't1',
      state: 'COMPLETED',
    });
  });

  it('turns any failure after the engine accepted into an AcceptedWrite with what is known', async () => {
    const outcome = await afterEngineAccepted(
      'start process instance',
      { id: 'p1' },
      async () => Promise.reject(new Error('Connection terminated')),
      '/process-instances/p1',
    );
    expect(outcome).toBeInstanceOf(AcceptedWrite);
    expect(outcome.location).toBe('/process-instances/p1');
    expect(JSON.parse(JSON.stringify(outcome))).toEqual({ id: 'p1', mirrored: false });
  });
});
