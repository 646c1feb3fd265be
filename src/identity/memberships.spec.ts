import { CamundaError, CamundaErrorCode } from '../camunda/camunda.errors.js';
import { addMembership, membershipChanges } from './memberships.js';

describe('membershipChanges', () => {
  it('adds what is missing and removes only managed memberships no longer wanted', () => {
    expect(membershipChanges(['managers', 'camunda-admin', 'operators'], ['requesters', 'managers'], new Set(['requesters', 'managers', 'operators']))).toEqual(
      {
        add: ['requesters'],
        remove: ['operators'],
      },
    );
  });

  it('changes nothing when the memberships are as wanted', () => {
    expect(membershipChanges(['acme'], ['acme'], new Set(['acme', 'globex']))).toEqual({ add: [], remove: [] });
  });
});

describe('addMembership', () => {
  const duplicate = new CamundaError(CamundaErrorCode.EngineFailure, 'An exception occurred in the persistence layer');

  it('takes a failed add as success when the membership is there after all', async () => {
    await expect(
      addMembership(
        () => Promise.reject(duplicate),
        () => Promise.resolve(true),
      ),
    ).resolves.toBeUndefined();
  });

  it('passes the failure on when the membership is still missing', async () => {
    await expect(
      addMembership(
        () => Promise.reject(duplicate),
        () => Promise.resolve(false),
      ),
    ).rejects.toBe(duplicate);
  });
});
