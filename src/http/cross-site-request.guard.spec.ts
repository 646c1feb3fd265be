import type { ExecutionContext } from '@nestjs/common';
import { CrossSiteRequestGuard } from './cross-site-request.guard.js';

function allowed(method: string, headers: Record<string, string>, allowedOrigins: string[] = []): boolean {
  const request = { method, headers: { host: 'gateway.example:3000', ...headers } };
  const context = { getType: () => 'http', switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
  try {
    return new CrossSiteRequestGuard(allowedOrigins).canActivate(context);
  } catch {
    return false;
  }
}

describe('CrossSiteRequestGuard', () => {
  it('lets clients that are not browsers, reads, and the gateway’s own pages through', () => {
    expect(allowed('POST', {})).toBe(true);
    expect(allowed('GET', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).toBe(true);
    expect(allowed('POST', { origin: 'http://gateway.example:3000', 'sec-fetch-site': 'same-origin' })).toBe(true);
    expect(allowed('POST', { 'sec-fetch-site': 'none' })).toBe(true);
  });

  it('refuses commands from other sites unless their origin is allowed', () => {
    expect(allowed('POST', { origin: 'https://evil.example' })).toBe(false);
    expect(allowed('DELETE', { 'sec-fetch-site': 'cross-site' })).toBe(false);
    expect(allowed('PUT', { origin: 'null' })).toBe(false);
    expect(allowed('PATCH', { origin: 'https://gateway.example:3000.evil.example' })).toBe(false);
    expect(allowed('POST', { origin: 'https://Tickets.example.org', 'sec-fetch-site': 'cross-site' }, ['https://tickets.example.org'])).toBe(true);
  });
});
