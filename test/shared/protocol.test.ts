import { describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES, parseClientMessage } from '../../shared/protocol.js';

describe('parseClientMessage', () => {
  it.each([
    ['{"type":"subscribe","article":"/a","mode":"reading"}', { type: 'subscribe', article: '/a', mode: 'reading' }],
    ['{"type":"subscribe","article":"/a","mode":"watching"}', { type: 'subscribe', article: '/a', mode: 'watching' }],
    ['{"type":"subscribe","article":"/a/?x=1"}', { type: 'subscribe', article: '/a', mode: 'reading' }],
    ['{"type":"unsubscribe","article":"/a"}', { type: 'unsubscribe', article: '/a' }],
    ['{"type":"read","article":"/caf%C3%A9/"}', { type: 'read', article: '/café' }],
    ['{"type":"read","article":"/a","extra":[1,2,3]}', { type: 'read', article: '/a' }],
    ['{"type":"watch-site","site":"WWW.Blog.example.com"}', { type: 'watch-site', site: 'blog.example.com' }],
  ])('accepts %s', (frame, message) => {
    expect(parseClientMessage(frame)).toEqual({ ok: true, message });
  });

  it.each([
    ['', 'bad_json'],
    ['not json', 'bad_json'],
    ['{"type":"read"', 'bad_json'],
    ['null', 'bad_message'],
    ['42', 'bad_message'],
    ['"read"', 'bad_message'],
    ['[{"type":"read","article":"/a"}]', 'bad_message'],
    ['{}', 'unknown_type'],
    ['{"type":"count","article":"/a"}', 'unknown_type'],
    ['{"type":"READ","article":"/a"}', 'unknown_type'],
    ['{"type":7,"article":"/a"}', 'unknown_type'],
    ['{"type":"read"}', 'bad_article'],
    ['{"type":"read","article":7}', 'bad_article'],
    ['{"type":"read","article":{"toString":"/a"}}', 'bad_article'],
    ['{"type":"read","article":"no-slash"}', 'bad_article'],
    ['{"type":"read","article":"/%E0%A4%A"}', 'bad_article'],
    ['{"type":"subscribe","article":"/a","mode":"admin"}', 'bad_message'],
    ['{"type":"subscribe","article":"/a","mode":1}', 'bad_message'],
    ['{"type":"watch-site"}', 'bad_site'],
    ['{"type":"watch-site","site":"not a host"}', 'bad_site'],
    ['{"type":"watch-site","site":7}', 'bad_site'],
    [`{"type":"read","article":"/${'a'.repeat(600)}"}`, 'bad_article'],
    [`{"type":"read","article":"/${'a'.repeat(MAX_FRAME_BYTES)}"}`, 'frame_too_large'],
    ['{"__proto__":{"type":"read"},"article":"/a"}', 'unknown_type'],
    ['{"type":"read","__proto__":{"article":"/a"}}', 'bad_article'],
    ['{"type":"subscribe","article":"/a","__proto__":{"mode":"admin"},"mode":"x"}', 'bad_message'],
  ])('rejects %s with %s', (frame, code) => {
    const result = parseClientMessage(frame);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message).not.toBe('');
    }
  });

  it('does not let a __proto__ key reach the prototype of anything', () => {
    const result = parseClientMessage('{"type":"subscribe","article":"/a","mode":"reading","__proto__":{"polluted":true}}');
    expect(result.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (result.ok) expect(Object.getPrototypeOf(result.message)).toBe(Object.prototype);
  });
});
