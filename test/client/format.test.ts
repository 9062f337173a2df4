import { describe, expect, it } from 'vitest';
import { COMPACT_FROM, formatCount } from '../../client/format.js';

describe('formatCount', () => {
  it('shows counts below COMPACT_FROM in full, grouped for the locale', () => {
    expect(formatCount(0, 'en')).toBe('0');
    expect(formatCount(1_234, 'en')).toBe('1,234');
    expect(formatCount(1_234, 'de')).toBe('1.234');
    expect(formatCount(COMPACT_FROM - 1, 'en')).toBe('9,999');
  });

  it('shows large counts compactly, with one decimal at most', () => {
    expect(formatCount(COMPACT_FROM, 'en')).toBe('10K');
    expect(formatCount(12_345, 'en')).toBe('12.3K');
    expect(formatCount(1_234_567, 'en')).toBe('1.2M');
    expect(formatCount(1_234_567, 'de')).toBe('1,2\u00a0Mio.');
  });

  it('shows the exact figure when asked', () => {
    expect(formatCount(1_234_567, 'en', true)).toBe('1,234,567');
  });

  it('falls back to the default locale for a malformed language tag', () => {
    expect(formatCount(1_234, 'en_US')).toBe(new Intl.NumberFormat().format(1_234));
    expect(formatCount(1_234, undefined)).toBe(new Intl.NumberFormat().format(1_234));
  });
});
