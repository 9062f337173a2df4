import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIp, limitKey, type ProxyTrust } from '../../../server/trust/client-ip.js';

function request(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

const none: ProxyTrust = { trustProxy: 'none', xffHop: 1 };
const fly: ProxyTrust = { trustProxy: 'fly', xffHop: 1 };
const xff = (xffHop: number): ProxyTrust => ({ trustProxy: 'xff', xffHop });

describe('clientIp', () => {
  it.each([
    ['the socket address with TRUST_PROXY=none', request('10.0.0.9', { 'fly-client-ip': '1.2.3.4', 'x-forwarded-for': '5.6.7.8' }), none, '10.0.0.9'],
    ['an IPv4-mapped socket address as IPv4', request('::ffff:192.0.2.1'), none, '192.0.2.1'],
    ['Fly-Client-IP with TRUST_PROXY=fly', request('172.16.0.2', { 'fly-client-ip': '203.0.113.7' }), fly, '203.0.113.7'],
    ['the socket when Fly-Client-IP is missing', request('172.16.0.2'), fly, '172.16.0.2'],
    ['the socket when Fly-Client-IP is garbage', request('172.16.0.2', { 'fly-client-ip': 'evil' }), fly, '172.16.0.2'],
    ['no X-Forwarded-For with TRUST_PROXY=fly', request('172.16.0.2', { 'x-forwarded-for': '1.1.1.1' }), fly, '172.16.0.2'],
    ['the last X-Forwarded-For hop with XFF_HOP=1', request('10.0.0.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.4' }), xff(1), '198.51.100.4'],
    ['the second hop from the right with XFF_HOP=2', request('10.0.0.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.1.1.1' }), xff(2), '198.51.100.4'],
    ['the socket when there are fewer hops than XFF_HOP', request('10.0.0.1', { 'x-forwarded-for': '198.51.100.4' }), xff(2), '10.0.0.1'],
    ['the socket when the trusted hop is garbage', request('10.0.0.1', { 'x-forwarded-for': '1.1.1.1, not-an-ip' }), xff(1), '10.0.0.1'],
    ['an IPv6 hop', request('10.0.0.1', { 'x-forwarded-for': '2001:db8::1' }), xff(1), '2001:db8::1'],
  ])('takes %s', (_title, req, trust, ip) => {
    expect(clientIp(req, trust)).toBe(ip);
  });
});

describe('limitKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:aa:bb:1:2:3:4', '2001:db8:aa:bb::/64'],
    ['2001:0db8:00aa:00bb:ffff::1', '2001:db8:aa:bb::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('keys %s as %s', (ip, key) => {
    expect(limitKey(ip)).toBe(key);
  });

  it('puts two addresses of one /64 under one key', () => {
    expect(limitKey('2001:db8:1:2::a')).toBe(limitKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
  });
});
