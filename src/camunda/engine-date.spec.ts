import { fromEngineDate, toEngineDate } from './engine-date.js';

describe('engine dates', () => {
  it('writes the offset without a colon, as engine-rest requires', () => {
    expect(toEngineDate(new Date('2026-01-02T03:04:05.006Z'))).toBe('2026-01-02T03:04:05.006+0000');
  });

  it('reads any offset the engine sends and keeps the instant', () => {
    expect(fromEngineDate('2026-01-02T05:04:05.006+0200').toISOString()).toBe('2026-01-02T03:04:05.006Z');
    expect(fromEngineDate(null)).toBeNull();
  });

  it('refuses garbage instead of producing an Invalid Date', () => {
    expect(() => fromEngineDate('yesterday')).toThrow('Unparseable engine date');
  });
});
