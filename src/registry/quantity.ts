// resource.Quantity: parsing, validation and upstream's canonical serialisation (`1000m` → `1`,
// `1024Mi` → `1Gi`), exact over BigInt so stored objects read back as upstream would print them.

export const quantityFormatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const quantitySuffixError = "unable to parse quantity's suffix";

export class QuantityError extends Error {}

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binaryByPower = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const pow10 = (n: number) => 10n ** BigInt(n);

export class Quantity {
  /** The value is sign × mantissa × 10^scale. */
  constructor(readonly negative: boolean, readonly mantissa: bigint, readonly scale: number, readonly format: QuantityFormat) {}

  isZero(): boolean { return this.mantissa === 0n; }

  /** Compares values: -1, 0 or 1. */
  cmp(o: Quantity): number {
    const s = Math.min(this.scale, o.scale);
    const a = (this.negative ? -1n : 1n) * this.mantissa * pow10(this.scale - s);
    const b = (o.negative ? -1n : 1n) * o.mantissa * pow10(o.scale - s);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Value in thousandths, rounded up (as upstream's MilliValue). */
  milliValue(): number { return this.scaled(-3); }
  /** Value rounded up to an integer. */
  value(): number { return this.scaled(0); }

  private scaled(target: number): number {
    const sign = this.negative ? -1 : 1;
    if (this.scale >= target) return sign * Number(this.mantissa * pow10(this.scale - target));
    const d = pow10(target - this.scale);
    const q = this.mantissa / d + (this.mantissa % d === 0n ? 0n : 1n);
    return sign * Number(q);
  }

  toString(): string {
    if (this.mantissa === 0n) return '0';
    const sign = this.negative ? '-' : '';
    let format = this.format;
    if (format === 'BinarySI') {
      // Small or fractional binary quantities print in decimal to avoid rounding.
      const small = this.cmp(new Quantity(false, 1024n, 0, 'DecimalSI')) < 0 && this.cmp(new Quantity(true, 1024n, 0, 'DecimalSI')) > 0;
      const integral = this.scale >= 0 || this.mantissa % pow10(-this.scale) === 0n;
      if (small || !integral) format = 'DecimalSI';
    }
    if (format === 'BinarySI') {
      let n = this.scale >= 0 ? this.mantissa * pow10(this.scale) : this.mantissa / pow10(-this.scale);
      let p = 0;
      while (p < 6 && n % 1024n === 0n) { n /= 1024n; p++; }
      return `${sign}${n}${binaryByPower[p]}`;
    }
    let m = this.mantissa;
    let e = this.scale;
    while (m % 10n === 0n) { m /= 10n; e++; }
    while (((e % 3) + 3) % 3 !== 0) { m *= 10n; e--; }
    if (format === 'DecimalExponent') return `${sign}${m}${e === 0 ? '' : `e${e}`}`;
    const suffix = decimalByExponent.get(e);
    return suffix === undefined ? `${sign}${m}e${e}` : `${sign}${m}${suffix}`;
  }

  toJSON(): string { return this.toString(); }
}

interface Parts { negative: boolean; num: string; denom: string; suffix: string }

function splitQuantity(str: string): Parts {
  let pos = 0;
  let negative = false;
  if (str[0] === '-') { negative = true; pos++; } else if (str[0] === '+') pos++;
  const numStart = pos;
  while (pos < str.length && str[pos] >= '0' && str[pos] <= '9') pos++;
  const num = str.slice(numStart, pos).replace(/^0+/, '') || '0';
  let denom = '';
  if (str[pos] === '.') {
    const d = ++pos;
    while (pos < str.length && str[pos] >= '0' && str[pos] <= '9') pos++;
    denom = str.slice(d, pos);
  }
  const suffix = str.slice(pos);
  if (!/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix)) throw new QuantityError(quantityFormatError);
  return { negative, num, denom, suffix };
}

/** Distinct quantity strings are few ('100m', '128Mi', ...) and each pod write parses them several times. */
const parsed = new Map<string, Quantity>();
const maxParsed = 1000;

/** Parses a quantity string (or a JSON number); throws QuantityError with upstream's messages. */
export function parseQuantity(input: string | number): Quantity {
  if (typeof input !== 'string') return parseUncached(input);
  let q = parsed.get(input);
  if (q === undefined) {
    q = parseUncached(input);
    // Quantities are immutable, so one instance serves every caller.
    if (parsed.size >= maxParsed) parsed.clear();
    parsed.set(input, q);
  }
  return q;
}

function parseUncached(input: string | number): Quantity {
  const str = typeof input === 'number' ? numberToQuantityString(input) : input;
  if (str.length === 0) throw new QuantityError(quantityFormatError);
  const { negative, num, denom, suffix } = splitQuantity(str);
  let exp10 = 0;
  let exp2 = 0;
  let format: QuantityFormat;
  if (suffix in decimalSuffixes) { exp10 = decimalSuffixes[suffix]; format = 'DecimalSI'; }
  else if (suffix in binarySuffixes) { exp2 = binarySuffixes[suffix]; format = 'BinarySI'; }
  else if (/^[eE][-+]?[0-9]+$/.test(suffix)) { exp10 = parseInt(suffix.slice(1), 10); format = 'DecimalExponent'; }
  else throw new QuantityError(quantitySuffixError);

  let mantissa = BigInt(num + denom) * (2n ** BigInt(exp2));
  let scale = exp10 - denom.length;
  // Upstream keeps nano precision at most, rounding away from zero.
  if (scale < -9) {
    const d = pow10(-9 - scale);
    mantissa = mantissa / d + (mantissa % d === 0n ? 0n : 1n);
    scale = -9;
  }
  return new Quantity(negative && mantissa !== 0n, mantissa, scale, format);
}

function numberToQuantityString(n: number): string {
  if (!Number.isFinite(n)) throw new QuantityError(quantityFormatError);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(9).replace(/\.?0+$/, '');
}

/** The canonical string for a quantity, or throws QuantityError. */
export function canonicalQuantity(input: string | number): string {
  return parseQuantity(input).toString();
}

/** undefined when valid, else upstream's error text. */
export function quantityError(input: unknown): string | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return quantityFormatError;
  try { parseQuantity(input); return undefined; } catch (e) { return e instanceof Error ? e.message : String(e); }
}
