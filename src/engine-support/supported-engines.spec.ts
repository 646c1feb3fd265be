import { engineIdentityOf } from '../camunda/engine-identity.js';
import { refusalOf } from './supported-engines.js';

describe('refusalOf', () => {
  it.each([
    ['Camunda BPM Runtime', '7.20.0'],
    ['Camunda BPM Runtime', '7.24.0'],
    ['Camunda Platform', '7.22.0-ee'],
    ['Operaton', '1.0.0'],
    ['Operaton', '1.0.3'],
  ])('admits %s %s', (product, version) => {
    expect(refusalOf(engineIdentityOf(product, version))).toBeNull();
  });

  it('refuses a Camunda older than 7.20.0, naming both versions', () => {
    expect(refusalOf(engineIdentityOf('Camunda BPM Runtime', '7.19.0'))).toBe('the camunda engine is version 7.19.0, older than the oldest supported, 7.20.0');
  });

  it('refuses an Operaton before 1.0.0', () => {
    expect(refusalOf(engineIdentityOf('Operaton', '0.9.2'))).toMatch(/operaton engine is version 0\.9\.2, older than the oldest supported, 1\.0\.0/);
  });

  it('refuses an engine it does not know, by the name it gave', () => {
    expect(refusalOf(engineIdentityOf('CIB seven', '2.0.0'))).toMatch(
      /calls itself 'CIB seven' \(version 2\.0\.0\), which is not a supported engine \(camunda >= 7\.20\.0, operaton >= 1\.0\.0\)/,
    );
  });

  it('refuses a version that is not one', () => {
    expect(refusalOf(engineIdentityOf('Camunda BPM Runtime', 'unknown'))).toMatch(/reports version 'unknown', which is not a version/);
  });
});
