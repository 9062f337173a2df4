import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Where the client address comes from: see TRUST_PROXY in the README. */
export interface ProxyTrust {
  trustProxy: 'none' | 'fly' | 'xff';
  /** With `xff`: which X-Forwarded-For entry, counted from the right, is the client. */
  xffHop: number;
}

/**
 * The client's IP address. Only the header named by TRUST_PROXY is believed; any other
 * forwarding header is ignored, since anyone can send one. A missing or malformed trusted
 * header falls back to the socket address.
 */
export function clientIp(req: IncomingMessage, trust: ProxyTrust): string {
  const socketIp = stripMappedV4(req.socket.remoteAddress ?? '');
  if (trust.trustProxy === 'fly') return validIp(header(req, 'fly-client-ip')) ?? socketIp;
  if (trust.trustProxy === 'xff') {
    const hops = (header(req, 'x-forwarded-for') ?? '').split(',').map((h) => h.trim());
    // Entries are appended left to right, so the proxies we trust wrote the rightmost ones.
    return validIp(hops[hops.length - trust.xffHop]) ?? socketIp;
  }
  return socketIp;
}

/**
 * The key per-IP limits are kept under: the address itself for IPv4, the /64 network for
 * IPv6, because one IPv6 user commonly holds a whole /64.
 */
export function limitKey(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The limit key of a socket's peer address (`::ffff:1.2.3.4` is 1.2.3.4). */
export function networkOf(address: string | undefined): string {
  return limitKey(stripMappedV4(address ?? ''));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function validIp(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ip = stripMappedV4(value.trim());
  return isIP(ip) === 0 ? undefined : ip;
}

function stripMappedV4(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}
