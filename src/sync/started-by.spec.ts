import type { VariableSnapshot } from './instance-snapshot.js';
import { startedByOf } from './started-by.js';

const variable = (value: unknown, overrides: Partial<VariableSnapshot> = {}): VariableSnapshot => ({
  id: 'v1',
  name: 'startedBy',
  type: 'String',
  value,
  valueInfo: null,
  scope: 'process',
  taskId: null,
  activityInstanceId: null,
  ...overrides,
});

describe('startedByOf', () => {
  it('takes the startedBy process variable over the engine start user', () => {
    expect(startedByOf([variable('alice')], 'someone', 'demo')).toBe('alice');
  });

  it('falls back to the engine start user when that is not the gateway itself', () => {
    expect(startedByOf([], 'mary', 'demo')).toBe('mary');
    expect(startedByOf([], 'demo', 'demo')).toBeNull();
    expect(startedByOf([], null, 'demo')).toBeNull();
  });

  it('ignores a startedBy that is no string, is empty or too long for a user id', () => {
    expect(startedByOf([variable(42)], 'mary', 'demo')).toBe('mary');
    expect(startedByOf([variable('')], null, 'demo')).toBeNull();
    expect(startedByOf([variable('x'.repeat(65))], 'demo', 'demo')).toBeNull();
  });

  it('ignores a startedBy that is only local to an activity or a task', () => {
    expect(startedByOf([variable('alice', { scope: 'local' }), variable('bob', { scope: 'task', taskId: 't1' })], null, 'demo')).toBeNull();
  });
});
