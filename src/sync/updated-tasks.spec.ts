import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { OpenTask } from '../camunda/camunda.models.js';
import type { TaskClient } from '../camunda/clients/task.client.js';
import { UpdatedTasks } from './updated-tasks.js';

const openTasks: OpenTask[] = [
  { id: 't1', processInstanceId: 'p1', assignee: null, lastUpdated: null },
  { id: 't2', processInstanceId: 'p2', assignee: 'mary', lastUpdated: new Date(0) },
];

/** An engine whose task list honours updatedAfter (only t2 changed lately, none after the year 9000) or ignores it. */
function engine(honoursFilter: boolean) {
  const asked: (Date | undefined)[] = [];
  const client = {
    listOpenTasks: async ({ updatedAfter, firstResult, maxResults }: { updatedAfter?: Date; firstResult: number; maxResults: number }) => {
      asked.push(updatedAfter);
      const farFuture = updatedAfter !== undefined && updatedAfter.getFullYear() >= 9000;
      const matching = !honoursFilter ? openTasks : farFuture ? [] : [openTasks[1]];
      return matching.slice(firstResult, firstResult + maxResults);
    },
  } as unknown as TaskClient;
  return { client, asked };
}

describe('UpdatedTasks', () => {
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  afterEach(() => warn.mockClear());

  it('detects an engine that ignores updatedAfter, says so once, and stops asking', async () => {
    const { client, asked } = engine(false);
    const updated = new UpdatedTasks(client);
    expect(await updated.since(new Date(1))).toEqual([]);
    expect(asked).toHaveLength(2);
    expect(asked[1]!.getFullYear()).toBeGreaterThanOrEqual(9000);
    expect(await updated.since(new Date(2))).toEqual([]);
    expect(asked).toHaveLength(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain('updatedAfter');
  });

  it('keeps asking an engine that honours it, and probes it only once', async () => {
    const { client, asked } = engine(true);
    const updated = new UpdatedTasks(client);
    expect(await updated.since(new Date(1))).toEqual([openTasks[1]]);
    expect(await updated.since(new Date(2))).toEqual([openTasks[1]]);
    expect(asked).toHaveLength(3);
    expect(warn).not.toHaveBeenCalled();
  });

  it('does not probe while the query answers nothing', async () => {
    const asked: unknown[] = [];
    const updated = new UpdatedTasks({ listOpenTasks: async (query: unknown) => (asked.push(query), []) } as unknown as TaskClient);
    expect(await updated.since(new Date(1))).toEqual([]);
    expect(await updated.since(new Date(2))).toEqual([]);
    expect(asked).toHaveLength(2);
  });
});
