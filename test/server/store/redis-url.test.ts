import { describe, expect, it } from 'vitest';
import { RedisSettingError, checkRedisPrefix, checkRedisUrl, redactUrl } from '../../../server/store/redis/url.js';

describe('checkRedisUrl', () => {
  it.each(['redis://127.0.0.1:6379', 'rediss://default:secret@cache.example.com:6380', 'redis://localhost/2', 'REDIS://host'])('takes %j as it is', (url) => {
    expect(checkRedisUrl(url)).toBe(url);
  });

  it.each([
    ['', /^REDIS_URL must start with redis:\/\/ \(or rediss:\/\/ for TLS\)/],
    ['localhost:6379', /^REDIS_URL must start with redis:\/\//],
    ['https://cache.example.com', /^REDIS_URL must start with redis:\/\/.*, got "https:\/\/cache\.example\.com"$/],
    ['redis://:6379', /^REDIS_URL must (name a host|be a URL)/],
    ['redis://host:6379/cache', /^REDIS_URL may end only in a database number/],
    ['redis://user:pa ss@ho st', /^REDIS_URL must be a URL such as .*, got "redis:\/\/user:\*\*\*@ho st"$/],
  ])('refuses %j, naming the setting and the fix, password hidden', (url, message) => {
    expect(() => checkRedisUrl(url)).toThrow(RedisSettingError);
    expect(() => checkRedisUrl(url)).toThrow(message);
  });

  it('names the flag it was given as', () => {
    expect(() => checkRedisUrl('http://x', '--redis-url')).toThrow(/^--redis-url must start with redis:\/\//);
  });
});

describe('checkRedisPrefix', () => {
  it.each(['readcounter:', 'blog-a:', 'é:'])('takes %j', (prefix) => expect(checkRedisPrefix(prefix)).toBe(prefix));

  it.each(['', ' readcounter:', 'a b:', 'a\n:', 'blog'])('refuses %j', (prefix) => {
    expect(() => checkRedisPrefix(prefix)).toThrow(/^REDIS_PREFIX must be a non-empty key prefix without spaces or control characters/);
  });
});

describe('redactUrl', () => {
  it('hides the password of a URL, parsed or not', () => {
    expect(redactUrl('redis://default:s3cret@host:6379')).toBe('redis://default:***@host:6379');
    expect(redactUrl('redis://default:s3 cret@ho st')).toBe('redis://default:***@ho st');
    expect(redactUrl('redis://host:6379')).toBe('redis://host:6379');
  });
});
