import { describe, expect, it } from 'vitest';
import { socketUrl } from '../../client/socket-url.js';

describe('socketUrl', () => {
  it('finds the socket beside the script, on the matching scheme', () => {
    expect(socketUrl('https://counter.example.com/counter.js')).toBe('wss://counter.example.com/ws');
    expect(socketUrl('http://127.0.0.1:8080/counter.js')).toBe('ws://127.0.0.1:8080/ws');
  });

  it('keeps a path prefix and drops a cache-busting query', () => {
    expect(socketUrl('https://example.com/counter/counter.js?v=3')).toBe('wss://example.com/counter/ws');
  });
});
