import { describe, expect, it } from 'vitest';
import { allowOriginAdvice, createRefusalLog } from '../../../server/live/refusal-log.js';

function setup(maxOrigins = 3) {
  let time = 0;
  const lines: string[] = [];
  const refuse = createRefusalLog({ log: (line) => void lines.push(line), now: () => time, allowedSites: ['example.com'], intervalMs: 60_000, maxOrigins });
  return { refuse, lines, advance: (ms: number) => void (time += ms) };
}

describe('createRefusalLog', () => {
  it('logs the first refusal of an origin at once, naming it and the setting to change', () => {
    const { refuse, lines } = setup();
    refuse('https://www.example.org');
    expect(lines).toEqual([
      'refused a WebSocket from origin "https://www.example.org": not in ALLOWED_ORIGINS (example.com). ' +
        'If it is your blog, add it: ALLOWED_ORIGINS=example.com,example.org',
    ]);
  });

  it('logs an origin at most once a minute, with how many refusals it did not log', () => {
    const { refuse, lines, advance } = setup();
    refuse('https://preview.example.net');
    for (let i = 0; i < 50; i++) {
      advance(1000);
      refuse('https://preview.example.net');
    }
    expect(lines).toHaveLength(1);
    advance(10_000);
    refuse('https://preview.example.net');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"https://preview.example.net": not in ALLOWED_ORIGINS (example.com), and 50 more since the last line about it.');
  });

  it('gives at most maxOrigins origins a line each per minute, then one summary line a minute', () => {
    const { refuse, lines, advance } = setup(3);
    for (let i = 0; i < 100; i++) refuse(`https://spam${i}.example`);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^refused WebSockets from more than 3 origins not in ALLOWED_ORIGINS within a minute; not logging each/);
    advance(30_000);
    for (let i = 100; i < 200; i++) refuse(`https://spam${i}.example`);
    expect(lines).toHaveLength(4);
    // A minute on, the old entries make room again.
    advance(30_000);
    refuse('https://www.example.org');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toContain('"https://www.example.org"');
  });

  it('quotes and shortens a hostile origin', () => {
    const { refuse, lines } = setup();
    const long = `https://${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example`;
    refuse(long);
    expect(lines[0]).toContain(`${JSON.stringify(`${long.slice(0, 200)}…`)}: not in ALLOWED_ORIGINS`);
  });
});

describe('allowOriginAdvice', () => {
  it('names the origin and the fix, and no allowed origin', () => {
    expect(allowOriginAdvice('https://www.example.org')).toBe(
      'readcounter refused this page\'s connection: its origin "https://www.example.org" is not in ALLOWED_ORIGINS. ' +
        'If it is your blog, add it to ALLOWED_ORIGINS on the counter server (a comma list) and restart the server.',
    );
  });
});
