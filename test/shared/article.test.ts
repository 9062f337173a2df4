import { describe, expect, it } from 'vitest';
import { MAX_ARTICLE_BYTES, articleKeyOf, normalizeArticle } from '../../shared/article.js';

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
    // One counter per page, however the path is spelled.
    ['/posts/../hello', '/hello'],
    ['/posts/./hello', '/posts/hello'],
    ['/posts/hello/..', '/posts'],
    ['/..', '/'],
    ['/../../etc', '/etc'],
    ['/posts/%2e%2e/hello', '/hello'],
    ['/posts%2F..%2Fhello', '/hello'],
    ['/posts/.hidden/...', '/posts/.hidden/...'],
    ['/cafe\u0301', '/caf\u00e9'],
    ['/cafe%CC%81', '/caf\u00e9'],
    ['/\uFB01le', '/\uFB01le'],
    ['/\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645', '/\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645'],
    ['/\u{1F468}\u200D\u{1F469}', '/\u{1F468}\u200D\u{1F469}'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeArticle(input)).toBe(expected);
  });

  it.each([
    '/posts/hello/?x',
    '/100%25-sure',
    '/what%3F#x',
    '/caf%C3%A9//',
    '/%2525',
    '/a/%2e%2e%252e%2e/b',
    '/x/%252F..%252Fy',
    '/e%CC%81/../f',
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
    ['/nul%00', /control or invisible characters/],
    ['/tab\there', /control or invisible characters/],
    ['/newline\n', /control or invisible characters/],
    ['/del\u007f', /control or invisible characters/],
    ['/c1\u0085', /control or invisible characters/],
    ['/lone\ud800', /control or invisible characters/],
    ['/admin\u202Egnp.exe', /control or invisible characters/],
    ['/posts/hello%E2%80%AE', /control or invisible characters/],
    ['/a\u2066b\u2069', /control or invisible characters/],
    ['/a\u200Eb', /control or invisible characters/],
    ['/zero\u200Bwidth', /control or invisible characters/],
    ['/word\u2060joiner', /control or invisible characters/],
    ['/bom\uFEFF', /control or invisible characters/],
    ['/soft\u00ADhyphen', /control or invisible characters/],
    ['/tag\u{E0041}', /control or invisible characters/],
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

  it('leaves the invisible-character check to the server: the element’s key is the same key, unchecked', () => {
    expect(articleKeyOf('/posts/a\u202Eb/?x=1')).toBe('/posts/a\u202Eb');
    expect(() => normalizeArticle('/posts/a\u202Eb/?x=1')).toThrow(/invisible/);
    expect(articleKeyOf('/Cafe\u0301/../x/')).toBe(normalizeArticle('/Cafe\u0301/../x/'));
  });
});
