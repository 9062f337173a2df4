import { describe, expect, it } from 'vitest';

describe('client/read-counter.ts', () => {
  it('imports without a DOM and opens nothing', async () => {
    const { ReadCounter } = await import('../../client/read-counter.js');
    expect(typeof ReadCounter).toBe('function');
    expect(ReadCounter.observedAttributes).toEqual(['article', 'readonly', 'show-live', 'label', 'live-label']);
  });
});
