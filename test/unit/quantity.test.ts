// Quantity parsing and upstream canonical forms.
import { canonicalQuantity, parseQuantity, quantityError, quantityFormatError } from '../../src/registry/quantity';

describe('quantity', () => {
  test.each([
    ['1000m', '1'], ['0.5', '500m'], ['1024Mi', '1Gi'], ['1e3', '1e3'], ['500m', '500m'], ['1Gi', '1Gi'], ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'], ['1.5Ki', '1536'], ['100', '100'], ['2000', '2k'], ['1500', '1500'], ['0', '0'], ['0.0', '0'],
    ['128974848', '128974848'], ['129e6', '129e6'], ['129M', '129M'], ['123Mi', '123Mi'], ['0.1m', '100u'], ['12345n', '12345n'],
    ['+1', '1'], ['-1', '-1'], ['1E', '1E'], ['100Ki', '100Ki'], ['512Ki', '512Ki'], ['0.000000001', '1n'], ['0.0000000001', '1n'],
  ])('%s → %s', (input, out) => {
    expect(canonicalQuantity(input)).toBe(out);
  });

  test('numbers', () => {
    expect(canonicalQuantity(2)).toBe('2');
    expect(canonicalQuantity(0.25)).toBe('250m');
  });

  test('errors', () => {
    expect(quantityError('abc')).toBe(quantityFormatError);
    expect(quantityError('')).toBe(quantityFormatError);
    expect(quantityError('1.2.3')).toBe(quantityFormatError);
    expect(quantityError('1K')).toBe("unable to parse quantity's suffix");
    expect(quantityError('1Gi')).toBeUndefined();
    expect(quantityFormatError).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });

  test('compare', () => {
    expect(parseQuantity('1').cmp(parseQuantity('1000m'))).toBe(0);
    expect(parseQuantity('1Gi').cmp(parseQuantity('1G'))).toBe(1);
    expect(parseQuantity('100m').cmp(parseQuantity('0.2'))).toBe(-1);
    expect(parseQuantity('1500m').milliValue()).toBe(1500);
    expect(parseQuantity('1.5').value()).toBe(2);
  });
});
