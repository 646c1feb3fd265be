import { decodeTyped, decodeVariable, encodeVariable, encodeVariables, VariableEncodingError } from './variable-codec.js';

describe('variable codec', () => {
  describe('plain JSON in', () => {
    it('types values the way Camunda expects', () => {
      expect(encodeVariables({ s: 'x', b: false, i: 42, neg: -(2 ** 31), l: 2 ** 31, d: 1.5, n: null })).toEqual({
        s: { value: 'x', type: 'String' },
        b: { value: false, type: 'Boolean' },
        i: { value: 42, type: 'Integer' },
        neg: { value: -(2 ** 31), type: 'Integer' },
        l: { value: 2 ** 31, type: 'Long' },
        d: { value: 1.5, type: 'Double' },
        n: { value: null, type: 'Null' },
      });
    });

    it('stores objects and arrays as Json strings', () => {
      expect(encodeVariable('o', { a: [1, 'two'] })).toEqual({ value: '{"a":[1,"two"]}', type: 'Json' });
      expect(encodeVariable('arr', [true])).toEqual({ value: '[true]', type: 'Json' });
    });

    it('refuses a typed-looking value of no Camunda type, as the single-variable PUT does; such Json is sent typed', () => {
      expect(() => encodeVariable('o', { value: 1, type: 'car' })).toThrow(/'car' is not a variable type/);
      expect(encodeVariable('o', { type: 'Json', value: { value: 1, type: 'car' } })).toEqual({ value: '{"value":1,"type":"car"}', type: 'Json' });
    });

    it('refuses what the engine columns cannot hold: Strings over 4000 characters, names over 255', () => {
      expect(() => encodeVariable('long', 'x'.repeat(4001))).toThrow(/at most 4000 characters/);
      expect(encodeVariable('fits', 'x'.repeat(4000)).type).toBe('String');
      expect(() => encodeVariable('n'.repeat(256), 1)).toThrow(/1-255 characters/);
    });

    it('refuses Objects in formats the engine does not read, or whose JSON is broken', () => {
      const object = (format: string, value: string, objectTypeName = 'java.util.HashMap') => ({
        type: 'Object',
        value,
        valueInfo: { objectTypeName, serializationDataFormat: format },
      });
      expect(() => encodeVariable('o', object('application/x-java-serialized-object', 'rO0AB'))).toThrow(/serializationDataFormat must be application\/json/);
      expect(() => encodeVariable('o', object('application/xml', '<a/>'))).toThrow(/serializationDataFormat must be application\/json/);
      expect(() => encodeVariable('o', object('application/json', '{broken'))).toThrow(/its JSON serialization/);
      expect(() => encodeVariable('o', object('application/json', '{}', 'java.util.HashMap; rm -rf'))).toThrow(/Java type name/);
      expect(() => encodeVariable('o', object('application/json', '{}', 'java.lang.Runtime'))).toThrow(/JDK value types only.*not java\.lang\.Runtime/);
      expect(() => encodeVariable('o', object('application/json', '[]', 'java.util.ArrayList<java.lang.ProcessBuilder>'))).toThrow(
        /not java\.lang\.ProcessBuilder/,
      );
      expect(encodeVariable('o', object('application/json', '["a"]', 'java.util.ArrayList<java.lang.String>')).type).toBe('Object');
    });

    it('checks an Object valueInfo even when the value is null, and takes valueInfo only where it means something', () => {
      const nullObject = { type: 'Object', value: null, valueInfo: { objectTypeName: 'x', serializationDataFormat: 'application/x-java-serialized-object' } };
      expect(() => encodeVariable('o', nullObject)).toThrow(/serializationDataFormat|JDK value types/);
      expect(() =>
        encodeVariable('o', {
          type: 'Object',
          value: null,
          valueInfo: { objectTypeName: 'java.util.HashMap'.padEnd(5000, 'x'), serializationDataFormat: 'application/json' },
        }),
      ).toThrow(/Java type name/);
      expect(
        encodeVariable('o', { type: 'Object', value: null, valueInfo: { objectTypeName: 'java.util.HashMap', serializationDataFormat: 'application/json' } }),
      ).toMatchObject({ value: null, type: 'Object' });
      expect(() => encodeVariable('s', { type: 'String', value: 'x', valueInfo: { objectTypeName: 'java.lang.Runtime' } })).toThrow(
        /valueInfo is only read for Object/,
      );
      expect(() => encodeVariable('s', { type: 'String', value: 'x', valueInfo: { transient: true } })).toThrow(/valueInfo is only read for Object/);
      expect(encodeVariable('s', { type: 'String', value: 'x', valueInfo: {} })).toEqual({ value: 'x', type: 'String' });
    });

    it('uses Double beyond the safe integer range rather than a Long that would lose digits', () => {
      expect(encodeVariable('big', 2 ** 60).type).toBe('Double');
    });
  });

  describe('typed in', () => {
    it.each([
      [
        { value: 32_767, type: 'Short' },
        { value: 32_767, type: 'Short' },
      ],
      [
        { value: -(2 ** 31), type: 'Integer' },
        { value: -(2 ** 31), type: 'Integer' },
      ],
      [
        { value: Number.MAX_SAFE_INTEGER, type: 'Long' },
        { value: Number.MAX_SAFE_INTEGER, type: 'Long' },
      ],
      [
        { value: 3, type: 'Double' },
        { value: 3, type: 'Double' },
      ],
      [
        { value: 'aGk=', type: 'Bytes' },
        { value: 'aGk=', type: 'Bytes' },
      ],
      [
        { value: 'x', type: 'Json' },
        { value: '"x"', type: 'Json' },
      ],
      [
        { value: null, type: 'String' },
        { value: null, type: 'String' },
      ],
    ])('%j -> %j', (input, expected) => {
      expect(encodeVariable('v', input)).toEqual(expected);
    });

    it('keeps the time zone of a Date in Camunda format', () => {
      expect(encodeVariable('d', { value: '2026-03-04T05:06:07.8+02:00', type: 'Date' })).toEqual({ value: '2026-03-04T05:06:07.800+0200', type: 'Date' });
      expect(encodeVariable('d', { value: '2026-03-04T05:06:07Z', type: 'Date' })).toEqual({ value: '2026-03-04T05:06:07.000+0000', type: 'Date' });
    });

    it('keeps an Object serialized, with its type information', () => {
      const input = { value: '{"a":1}', type: 'Object', valueInfo: { objectTypeName: 'java.util.HashMap', serializationDataFormat: 'application/json' } };
      expect(encodeVariable('o', input)).toEqual(input);
    });

    it.each([
      ['s', { value: 32_768, type: 'Short' }, 'outside the Short range'],
      ['i', { value: 2 ** 31, type: 'Integer' }, 'outside the Integer range'],
      ['l', { value: 2 ** 60, type: 'Long' }, 'outside the Long range'],
      ['f', { value: 1.5, type: 'Integer' }, 'whole number'],
      ['d', { value: '2026-03-04 05:06', type: 'Date' }, 'ISO 8601'],
      ['z', { value: '2026-03-04T05:06:07', type: 'Date' }, 'time zone'],
      ['b', { value: 'not base64!', type: 'Bytes' }, 'base64'],
      ['o', { value: '{}', type: 'Object' }, 'objectTypeName'],
      ['x', { value: 'yes', type: 'Boolean' }, 'true or false'],
      ['inf', Infinity, 'finite'],
    ])('rejects %s = %j, naming the variable and saying why', (name, input, reason) => {
      expect(() => encodeVariable(name, input)).toThrow(VariableEncodingError);
      expect(() => encodeVariable(name, input)).toThrow(new RegExp(`^Variable '${name}': .*${reason}`));
    });
  });

  describe('typed out', () => {
    it('parses Json, shows Dates as ISO 8601, keeps Objects serialized', () => {
      expect(decodeTyped({ value: '{"k":[1]}', type: 'Json' })).toEqual({ value: { k: [1] }, type: 'Json' });
      expect(decodeTyped({ value: '2026-03-04T03:06:07.800+0000', type: 'Date' })).toEqual({ value: '2026-03-04T03:06:07.800+00:00', type: 'Date' });
      const object = {
        value: 'rO0ABXQAA2Zvbw==',
        type: 'Object',
        valueInfo: { objectTypeName: 'java.lang.String', serializationDataFormat: 'application/x-java-serialized-object' },
      };
      expect(decodeTyped(object)).toEqual(object);
    });

    it('round-trips typed values through the engine format', () => {
      for (const input of [
        { value: 7, type: 'Short' },
        { value: { a: null }, type: 'Json' },
        { value: '2026-01-01T00:00:00.000+05:30', type: 'Date' },
      ]) {
        expect(decodeTyped(encodeVariable('v', input))).toEqual(input);
      }
    });
  });

  it('gives workers plain values, whatever the case of the type name', () => {
    expect(decodeVariable({ value: '{"a":1}', type: 'Json' })).toEqual({ a: 1 });
    expect(decodeVariable({ value: { a: 1 }, type: 'json' })).toEqual({ a: 1 });
    expect(decodeVariable({ value: 5, type: 'integer' })).toBe(5);
  });
});
