/**
 * Checks of the Redis settings (`REDIS_URL`, `REDIS_PREFIX`), shared by the server's config and
 * the CLI, so both refuse the same values with the same words.
 */

/** A Redis setting with a bad value; the message names the setting, the value (password hidden) and the fix. */
export class RedisSettingError extends Error {
  override name = 'RedisSettingError';
}

const EXAMPLE = 'redis://localhost:6379 or rediss://default:password@host:6380';

/** `redis://user:secret@host` without the password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return hidePassword(url);
  }
}

// `redis://user:secret@host` → `redis://user:***@host`, on the text as typed (parsed or not).
function hidePassword(url: string): string {
  return url.replace(/(\/\/[^/:@]*:)[^/@]*@/, '$1***@');
}

/**
 * `value` when it is a URL the Redis client can use (`redis://` or `rediss://`, a host, an
 * optional database number); otherwise throws a RedisSettingError saying what is wrong.
 */
export function checkRedisUrl(value: string, name = 'REDIS_URL'): string {
  const shown = JSON.stringify(hidePassword(value));
  // `localhost:6379` parses as a URL of scheme "localhost:", so look at the text first.
  if (!/^rediss?:\/\//i.test(value)) {
    throw new RedisSettingError(`${name} must start with redis:// (or rediss:// for TLS), such as ${EXAMPLE}, got ${shown}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RedisSettingError(`${name} must be a URL such as ${EXAMPLE}, got ${shown}`);
  }
  if (url.hostname === '') throw new RedisSettingError(`${name} must name a host, such as ${EXAMPLE}, got ${shown}`);
  if (!/^\/?\d*$/.test(url.pathname)) {
    throw new RedisSettingError(`${name} may end only in a database number (redis://host:6379/0), got ${shown}`);
  }
  return value;
}

/** `value` when it can prefix every key of one install; otherwise throws a RedisSettingError. */
export function checkRedisPrefix(value: string, name = 'REDIS_PREFIX'): string {
  // A stray space or newline from a copy-paste would silently start a second, empty install.
  // Ending in ":" keeps one install's keys from starting another's (blog: and blog2: would not).
  if (value === '' || /[\s\p{Cc}]/u.test(value) || !value.endsWith(':')) {
    throw new RedisSettingError(`${name} must be a non-empty key prefix without spaces or control characters, ending in ":", such as "readcounter:" or "blog-a:", got ${JSON.stringify(value)}`);
  }
  return value;
}
