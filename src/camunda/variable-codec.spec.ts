import { decodeVariables, encodeVariable, encodeVariables, VariableEncodingError } from './variable-codec.js';

describe('variable codec', () => {
  it('types plain JSON values the way Camunda expects', () => {
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

  it('uses Double for integers beyond the safe range rather than losing digits as a Long', () => {
    expect(encodeVariable('big', 2 ** 60).type).toBe('Double');
  });

  it('rejects values JSON cannot carry, naming the variable', () => {
    expect(() => encodeVariable('inf', Infinity)).toThrow(VariableEncodingError);
    expect(() => encodeVariable('inf', Infinity)).toThrow("Variable 'inf'");
  });

  it('decodes typed values back to plain JSON, leaving Object values serialized', () => {
    expect(
      decodeVariables({
        j: { value: '{"k":1}', type: 'Json' },
        i: { value: 7, type: 'Integer' },
        n: { value: null, type: 'Null' },
        o: { value: 'rO0ABXQAA2Zvbw==', type: 'Object', valueInfo: { serializationDataFormat: 'application/x-java-serialized-object' } },
      }),
    ).toEqual({ j: { k: 1 }, i: 7, n: null, o: 'rO0ABXQAA2Zvbw==' });
  });

  it('round-trips every plain value', () => {
    const plain = { s: 'é', b: true, i: 1, l: 9_007_199_254_740_991, d: 0.1, n: null, j: { nested: [null, 1] } };
    expect(decodeVariables(encodeVariables(plain))).toEqual(plain);
  });
});
