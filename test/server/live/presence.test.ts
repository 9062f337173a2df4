import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPresenceCadence, type PresenceCadence } from '../../../server/live/presence.js';

describe('createPresenceCadence', () => {
  let cadence: PresenceCadence<string>;
  let due: string[];
  let pages: number;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    due = [];
    pages = 100;
    cadence = createPresenceCadence<string>({ now: Date.now, size: () => pages, due: (s) => void due.push(s), quietMs: 500, minWaitMs: 1000, maxWaitMs: 5000, msPerPage: 0.25 });
  });
  afterEach(() => {
    cadence.close();
    vi.useRealTimers();
  });

  it('calls due once a change has been still for the quiet time', () => {
    cadence.changed('/a');
    vi.advanceTimersByTime(499);
    expect(due).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(due).toEqual(['/a']);
    expect(cadence.pending).toBe(0);
  });

  it('folds many changes into one call, at the wait deadline while they keep coming', () => {
    for (let t = 0; t < 990; t += 10) {
      cadence.changed('/a');
      vi.advanceTimersByTime(10);
    }
    expect(due).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(due).toEqual(['/a']);
  });

  it('grows the wait with the pages showing the subject, up to the maximum', () => {
    pages = 12_000; // 3 s at 0.25 ms a page
    const calls: number[] = [];
    for (let t = 0; t < 10_000; t += 100) {
      cadence.changed('/a');
      vi.advanceTimersByTime(100);
      if (due.length > calls.length) calls.push(t + 100);
    }
    expect(calls).toEqual([3000, 6000, 9000]);
    cadence.forget('/a');
    pages = 1_000_000;
    due = [];
    for (let t = 0; t < 6000; t += 100) {
      cadence.changed('/b');
      vi.advanceTimersByTime(100);
    }
    expect(due).toEqual(['/b']);
  });

  it('forgets a subject that went away', () => {
    cadence.changed('/a');
    cadence.forget('/a');
    vi.advanceTimersByTime(10_000);
    expect(due).toEqual([]);
  });

  it('refuses settings that make no sense, naming them', () => {
    const base = { now: Date.now, size: () => 0, due: () => {} };
    expect(() => createPresenceCadence({ ...base, quietMs: -1 })).toThrow(/quietMs/);
    expect(() => createPresenceCadence({ ...base, minWaitMs: 2000, maxWaitMs: 1000 })).toThrow(/maxWaitMs/);
    expect(() => createPresenceCadence({ ...base, msPerPage: Number.NaN })).toThrow(/msPerPage/);
  });
});
