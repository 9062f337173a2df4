import { describe, expect, it } from 'vitest';
import { normalizeSite, siteFromOrigin } from '../../shared/site.js';

describe('siteFromOrigin', () => {
  it.each([
    ['https://blog.example.com', 'blog.example.com'],
    ['https://Blog.Example.COM', 'blog.example.com'],
    ['https://www.example.com', 'example.com'],
    ['https://example.com:443', 'example.com'],
    ['http://example.com:80', 'example.com'],
    ['http://localhost:4000', 'localhost:4000'],
    ['http://127.0.0.1:8080', '127.0.0.1:8080'],
    ['http://[::1]:3000', '[::1]:3000'],
    ['https://www.example.com:8443', 'example.com:8443'],
    ['https://example.com.', 'example.com'],
    ['http://example.com.:8080', 'example.com:8080'],
  ])('maps %j to %j', (origin, site) => {
    expect(siteFromOrigin(origin)).toBe(site);
  });

  it.each(['null', 'not a url', 'file:///etc/passwd', 'ftp://example.com', ''])('rejects %j', (origin) => {
    expect(() => siteFromOrigin(origin)).toThrow(/origin must be/);
  });

  it.each(['http://.', 'http://..', 'https://.:8080', 'http://a..b', 'http://.example.com'])('rejects %j, which names no host', (origin) => {
    expect(() => siteFromOrigin(origin)).toThrow(/site must be a host/);
  });
});

describe('normalizeSite', () => {
  it.each([
    ['example.com', 'example.com'],
    ['WWW.Example.com', 'example.com'],
    ['example.com:443', 'example.com'],
    ['example.com:80', 'example.com'],
    ['localhost:8080', 'localhost:8080'],
    ['127.0.0.1:5173', '127.0.0.1:5173'],
  ])('maps %j to %j', (input, site) => {
    expect(normalizeSite(input)).toBe(site);
  });

  it.each(['', 'example.com/path', 'a b', 'user@example.com', 'example.com:99999', 'x'.repeat(300), '%41.com', '.', '..', '.:8080', 'a..b', '.example.com', 'example..com:8080'])('rejects %j', (input) => {
    expect(() => normalizeSite(input)).toThrow(/site must be/);
  });
});
