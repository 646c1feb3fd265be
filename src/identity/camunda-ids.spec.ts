import { randomUUID } from 'node:crypto';
import { camundaUserIdFor, tenantIdFor } from './camunda-ids.js';

const ISSUER = 'https://idp.example.org/realms/bank';
const ENGINE_ID = /^[a-zA-Z0-9]+$/;

describe('camundaUserIdFor', () => {
  it('gives ids the engine accepts, for UUIDs, e-mail addresses and names with any characters', () => {
    for (const username of [null, 'mary.smith@example.org', 'Ölga_Ünal', '  ', 'a-b', '💥'.repeat(40)]) {
      const id = camundaUserIdFor({ issuer: ISSUER, localId: randomUUID(), username });
      expect(id).toMatch(ENGINE_ID);
      expect(id.length).toBeLessThanOrEqual(64);
      expect(id.startsWith('gw')).toBe(true);
    }
  });

  it('is stable for one identity, and keeps a readable part of the name', () => {
    const identity = { issuer: ISSUER, localId: 'f3a1c2d4-0000-4000-8000-000000000001', username: 'mary@example.org' };
    expect(camundaUserIdFor(identity)).toBe(camundaUserIdFor({ ...identity }));
    expect(camundaUserIdFor(identity)).toMatch(/^gwmaryexampleorg[0-9a-f]{16}$/);
  });

  it('keeps apart identities whose names reduce to the same letters', () => {
    const ids = ['a-b', 'ab', 'AB', 'a_b'].map((localId) => camundaUserIdFor({ issuer: ISSUER, localId, username: null }));
    expect(new Set(ids).size).toBe(4);
  });

  it('keeps apart one local id at two issuers and many UUIDs at one', () => {
    expect(camundaUserIdFor({ issuer: ISSUER, localId: 'x', username: 'x' })).not.toBe(camundaUserIdFor({ issuer: `${ISSUER}2`, localId: 'x', username: 'x' }));
    const ids = Array.from({ length: 1000 }, () => camundaUserIdFor({ issuer: ISSUER, localId: randomUUID(), username: null }));
    expect(new Set(ids).size).toBe(1000);
  });

  it('never equals an operator account such as demo', () => {
    expect(camundaUserIdFor({ issuer: ISSUER, localId: 'demo', username: 'demo' })).not.toBe('demo');
  });
});

describe('tenantIdFor', () => {
  it('keeps a workspace id the engine accepts', () => {
    expect(tenantIdFor('acme')).toBe('acme');
    expect(tenantIdFor('Globex2')).toBe('Globex2');
  });

  it('maps any other workspace id to a stable, valid and distinct one', () => {
    const ids = ['a-b', 'ab_', 'x'.repeat(65), randomUUID(), 'a b'].map(tenantIdFor);
    for (const id of ids) expect(id).toMatch(/^ws[0-9a-f]{20}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(tenantIdFor('a-b')).toBe(tenantIdFor('a-b'));
    expect(tenantIdFor('a-b')).not.toBe(tenantIdFor('ab'));
  });
});
