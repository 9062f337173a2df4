import { describe, expect, it } from 'vitest';
import { MAX_ARTICLE_BYTES, normalizeArticle } from '../../shared/article.js';

describe('normalizeArticle', () => {
  it.each([
    ['/', '/'],
    ['/posts/hello', '/posts/hello'],
    ['/posts/hello/', '/posts/hello'],
    ['/posts/hello?utm_source=x', '/posts/hello'],
    ['/posts/hello#comments', '/posts/hello'],
    ['/posts/hello/?a=1#b', '/posts/hello'],
    ['/?q=1', '/'],
    ['//posts///hello//', '/posts/hello'],
    ['/posts/caf%C3%A9', '/posts/café'],
    ['/posts/café', '/posts/café'],
    ['/Posts/Hello', '/Posts/Hello'],
    ['/a%2Fb', '/a/b'],
    ['/100%25-sure', '/100%25-sure'],
    ['/what%3F', '/what%3F'],
    ['/c%23', '/c%23'],
    ['/a b', '/a b'],
    ['/<script>alert(1)</script>', '/<script>alert(1)</script>'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeArticle(input)).toBe(expected);
  });

  it.each([
    '/posts/hello/?x',
    '/100%25-sure',
    '/what%3F#x',
    '/caf%C3%A9//',
    '/%2525',
  ])('is stable: normalizing %j twice gives the same key', (input) => {
    const once = normalizeArticle(input);
    expect(normalizeArticle(once)).toBe(once);
  });

  it.each([
    [undefined, /must be a string/],
    [42, /must be a string/],
    [null, /must be a string/],
    ['', /starting with "\/"/],
    ['posts/hello', /starting with "\/"/],
    ['https://other.example/posts', /starting with "\/"/],
    ['?/x', /starting with "\/"/],
    ['/bad%', /invalid percent-escape/],
    ['/bad%zz', /invalid percent-escape/],
    ['/bad%C3', /invalid percent-escape/],
    ['/nul%00', /control characters/],
    ['/tab\there', /control characters/],
    ['/newline\n', /control characters/],
    ['/del\u007f', /control characters/],
    ['/c1\u0085', /control characters/],
    ['/lone\ud800', /control characters/],
    ['/' + 'a'.repeat(MAX_ARTICLE_BYTES), /at most 512 bytes/],
    ['/' + 'é'.repeat(300), /at most 512 bytes/],
    ['/' + '%41'.repeat(100_000), /at most 512 bytes/],
  ])('rejects %j', (input, message) => {
    expect(() => normalizeArticle(input)).toThrow(message);
  });

  it('accepts a key of exactly the byte limit', () => {
    const key = '/' + 'a'.repeat(MAX_ARTICLE_BYTES - 1);
    expect(normalizeArticle(key)).toBe(key);
  });
});
