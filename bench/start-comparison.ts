import { engineRest } from '../test/support/engine-rest.js';
import { inParallel, percentile, timed } from './measure.js';
import { plainTicketVariables, ticketVariables } from './ticket-model.js';

export const START_CLIENTS = 16;

export interface StartRun {
  p50: number;
  p99: number;
  perSecond: number;
}

async function run(starts: number, start: (index: number) => Promise<void>): Promise<StartRun> {
  const samples: number[] = [];
  const whole = await timed(() =>
    inParallel(starts, START_CLIENTS, async (index) => {
      samples.push((await timed(() => start(index))).ms);
    }),
  );
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), perSecond: starts / (whole.ms / 1000) };
}

/** The engine's own start of a ticket, `starts` times by 16 clients. */
export function engineStarts(key: string, starts: number, prefix: string): Promise<StartRun> {
  return run(starts, async (index) => {
    await engineRest('POST', `/process-definition/key/${key}/start`, { businessKey: `${prefix}-${index}`, variables: ticketVariables(index) });
  });
}

/** The same start through the gateway, which answers from its mirror (read-your-writes), `starts` times by 16 clients. */
export function gatewayStarts(gatewayUrl: string, admin: RequestInit, key: string, starts: number, prefix: string): Promise<StartRun> {
  return run(starts, async (index) => {
    const response = await fetch(`${gatewayUrl}/process-instances`, {
      method: 'POST',
      headers: { ...(admin.headers as Record<string, string>), 'Content-Type': 'application/json' },
      body: JSON.stringify({ processDefinitionKey: key, businessKey: `${prefix}-${index}`, variables: plainTicketVariables(index) }),
    });
    if (response.status !== 201) throw new Error(`start answered ${response.status}: ${await response.text()}`);
  });
}
