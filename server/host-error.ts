import { ConfigError } from './config.js';

// What listen() reports for a HOST this machine cannot listen on: a name that does not resolve
// (a typo such as "localhst"; EAI_AGAIN when no DNS server answers), or an address it does not have.
const BAD_HOST_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EADDRNOTAVAIL']);

/** A listen error caused by the HOST setting, as a ConfigError naming it; undefined for any other error. */
export function hostError(error: unknown, host: string): ConfigError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined || !BAD_HOST_CODES.has(code)) return undefined;
  const why = code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : 'does not resolve to an address';
  return new ConfigError(
    `HOST must be an address of this machine or a name that resolves to one (0.0.0.0 for every IPv4 interface, :: for every interface, 127.0.0.1 for this machine only), got ${JSON.stringify(host)}, which ${why} (${code})`,
  );
}
