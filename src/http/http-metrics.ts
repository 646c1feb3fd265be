import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry } from 'prom-client';

// A request no route took (404s, probes of random paths) is one label value, so attackers cannot grow the series.
const UNMATCHED = 'unmatched';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Request duration by method, route template and status; scraped at /metrics with the others. */
@Injectable()
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly duration = new Histogram({
    name: 'camunda_gateway_http_request_duration_seconds',
    help: 'HTTP requests by method, route (the template, e.g. /process-instances/:id) and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Express middleware: times every request to its last byte, labelled once the router has matched it. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const done = this.duration.startTimer();
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      done({
        method: METHODS.has(request.method) ? request.method : 'OTHER',
        route: route === undefined ? UNMATCHED : `${request.baseUrl}${route}`,
        status: String(response.statusCode),
      });
    });
    next();
  };
}
