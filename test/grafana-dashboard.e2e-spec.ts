import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { EngineRequestMetrics } from '../src/camunda/engine-request-metrics.js';
import { HttpMetrics } from '../src/http/http-metrics.js';
import { GatewayMetrics } from '../src/metrics/gateway-metrics.js';
import { WorkerMetrics } from '../src/workers/worker-metrics.js';

// The Grafana dashboard in deploy/grafana queries what a running gateway really exposes at /metrics: every metric
// it names exists with the type its query assumes, and every label it groups by or shows is one the metric has.
const DASHBOARD = 'deploy/grafana/camunda-gateway.json';
const HISTOGRAM_SERIES = /_(bucket|count|sum)$/;
/** Labels Prometheus adds to every scraped series. */
const SCRAPE_LABELS = new Set(['instance', 'job']);

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string; legendFormat?: string }[];
}

interface Exposed {
  type: string;
  labels: Set<string>;
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
  panels: Panel[];
  templating: { list: { name: string; query: unknown }[] };
};
const queries = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, ...target })));

/** Metric name → type and the label names seen on its samples, from the text exposition format. */
function parseExposition(text: string): Map<string, Exposed> {
  const metrics = new Map<string, Exposed>();
  for (const line of text.split('\n')) {
    const declared = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (declared) {
      metrics.set(declared[1], { type: declared[2], labels: new Set() });
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/.exec(line);
    if (!sample) continue;
    const name = sample[1];
    const metric = metrics.get(name) ?? metrics.get(name.replace(HISTOGRAM_SERIES, ''));
    for (const label of sample[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) metric?.labels.add(label[1]);
  }
  return metrics;
}

describe('Grafana dashboard', () => {
  let gateway: RunningGateway;
  let exposed: Map<string, Exposed>;
  /** Label names each gateway metric declares, also for metrics that have no sample yet (a topic never fetched). */
  let declaredLabels: Map<string, string[]>;

  beforeAll(async () => {
    gateway = await startGateway();
    // One request of each kind, so the HTTP and engine histograms have labelled samples to check against.
    await gateway.http.get('/process-definitions').expect(200);
    const scrape = await gateway.http.get('/metrics').expect(200);
    exposed = parseExposition(scrape.text);
    // prom-client keeps each metric's declared label names on the metric object.
    const registries = [GatewayMetrics, HttpMetrics, EngineRequestMetrics, WorkerMetrics].map((owner) => gateway.app.get(owner).registry);
    declaredLabels = new Map(
      registries.flatMap((registry) =>
        registry.getMetricsAsArray().map((metric) => {
          const { name, labelNames } = metric as unknown as { name: string; labelNames?: string[] };
          return [name, [...(labelNames ?? []), ...(exposed.get(name)?.labels ?? [])]] as const;
        }),
      ),
    );
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('holds panels with queries', () => {
    expect(queries.length).toBeGreaterThan(15);
  });

  it.each(queries.map((query) => [query.panel, query.expr, query.legendFormat ?? ''] as const))(
    '%s: %s names only exposed metrics and labels',
    (_panel, expr, legend) => {
      const names = [...expr.matchAll(/\bcamunda_gateway_[a-z0-9_]+/g)].map((match) => match[0]);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const base = exposed.has(name) ? name : name.replace(HISTOGRAM_SERIES, '');
        const metric = exposed.get(base);
        expect({ name, exposed: metric !== undefined }).toEqual({ name, exposed: true });
        if (base !== name) expect({ name, type: metric?.type }).toEqual({ name, type: 'histogram' });
        if (expr.includes('histogram_quantile')) expect({ name, suffix: name.endsWith('_bucket') }).toEqual({ name, suffix: true });
        const labels = new Set([...(declaredLabels.get(base) ?? []), ...(metric?.type === 'histogram' ? ['le'] : []), ...SCRAPE_LABELS]);
        const grouped = [...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((match) => match[1].split(',').map((label) => label.trim()));
        const shown = [...legend.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]);
        for (const label of [...grouped, ...shown]) expect({ name, label, known: labels.has(label) }).toEqual({ name, label, known: true });
      }
    },
  );

  it('selects instances from a metric every gateway exposes', () => {
    const instance = dashboard.templating.list.find((variable) => variable.name === 'instance');
    const name = /camunda_gateway_[a-z0-9_]+/.exec(JSON.stringify(instance?.query))?.[0];
    expect(name && exposed.has(name)).toBe(true);
  });
});
