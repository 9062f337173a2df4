// What the generator's two halves (watchers.mjs, readers.mjs) share: where the server is,
// which source address each socket uses, and a bounded way to open many at once.

/** Connections being opened at once by one generator (the server's listen backlog is 511). */
export const OPENING_AT_ONCE = 200;

/** @type {{ host: string, port: number, origin: string, addresses: string[], name: string }} */
let target;

/** Points every socket opened from now on at a server. @param {typeof target} next */
export function setTarget(next) {
  target = next;
}

/** The generator's name, part of each user agent (one distinct reader per connection). */
export const generatorName = () => target.name;

/** Where socket number `index` connects from and to, and as whom. */
export function connectTarget(index, userAgent) {
  return {
    host: target.host,
    port: target.port,
    localAddress: target.addresses[index % target.addresses.length],
    origin: target.origin,
    userAgent,
  };
}

/** Runs async jobs with at most `width` in flight. @param {Array<() => Promise<any>>} jobs */
export async function limited(jobs, width) {
  const results = new Array(jobs.length);
  let next = 0;
  async function lane() {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, lane));
  return results;
}

/** Why sockets closed, counted by reason. @param {Array<{ state: any }>} sockets */
export function failureReasons(sockets) {
  const reasons = {};
  for (const socket of sockets) {
    const reason = socket.state.closeReason;
    if (reason !== undefined) reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  return reasons;
}
