import { afterEach, describe, expect, it, vi } from 'vitest';
import { mayCount, OPT_OUT_KEY } from '../../client/privacy.js';

function browser(nav: Record<string, unknown>, storage: Record<string, string> | 'blocked' = {}): void {
  vi.stubGlobal('navigator', nav);
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => {
      if (storage === 'blocked') throw new DOMException('denied', 'SecurityError');
      return storage[key] ?? null;
    },
  });
}

describe('mayCount', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('counts an ordinary reader', () => {
    browser({ doNotTrack: null });
    expect(mayCount()).toBe(true);
  });

  it('does not count with Do Not Track, Global Privacy Control or the opt-out flag', () => {
    browser({ doNotTrack: '1' });
    expect(mayCount()).toBe(false);
    browser({ globalPrivacyControl: true });
    expect(mayCount()).toBe(false);
    browser({}, { [OPT_OUT_KEY]: 'true' });
    expect(mayCount()).toBe(false);
  });

  it('takes only "true" as opting out, and counts when storage is blocked', () => {
    browser({ doNotTrack: '0', globalPrivacyControl: false }, { [OPT_OUT_KEY]: 'yes' });
    expect(mayCount()).toBe(true);
    browser({}, 'blocked');
    expect(mayCount()).toBe(true);
  });
});
