import { requestIdFor } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFor', () => {
  it("keeps the caller's id when it is 1-128 characters of [A-Za-z0-9._:-]", () => {
    for (const id of ['a', 'req-42', 'trace:span.7_x', 'x'.repeat(128)]) expect(requestIdFor(id)).toBe(id);
  });

  it('generates a UUID for a missing, empty, too long, repeated or unsafe id', () => {
    for (const header of [undefined, '', 'x'.repeat(129), ['a', 'b'], 'a b', 'a\nb', 'ä', '<script>', 'a,b']) {
      expect(requestIdFor(header)).toMatch(UUID);
    }
  });

  it('generates a new id for every request', () => {
    expect(requestIdFor(undefined)).not.toBe(requestIdFor(undefined));
  });
});
