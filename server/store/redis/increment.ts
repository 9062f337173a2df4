import { BUDGET_SPENT, capError, type IncrementResult, type Store, type StoreCaps } from '../port.js';
import { utcDay } from '../../utc-day.js';
import type { RedisStoreClient } from './connect.js';
import type { RedisKeys } from './keys.js';

// A day's seen keys outlive the day by a day, so a node whose clock lags still finds them; a
// new day's secret drops them sooner.
const SEEN_TTL_SECONDS = 48 * 3600;

const capArg = (cap: number): string => (cap === Infinity ? '-1' : String(cap));

/** Maps the script's reply to what increment() resolves, or throws its cap refusal. */
function incrementResult(reply: unknown, caps: StoreCaps): IncrementResult {
  if (typeof reply === 'number') return reply;
  if (reply === 'seen') return undefined;
  if (reply === BUDGET_SPENT) return BUDGET_SPENT;
  if (reply === 'too_many_sites' || reply === 'too_many_articles') throw capError(reply, caps);
  throw new Error(`unexpected reply from the increment script: ${JSON.stringify(reply)}`);
}

/** Store.increment on Redis: one EVALSHA of INCREMENT_LUA, resolved once Redis answered. */
export function createIncrement(client: RedisStoreClient, keys: RedisKeys, caps: StoreCaps): Store['increment'] {
  return async (site, article, at, seenKey, budget) => {
    const day = utcDay(at);
    // A budget without a bound changes nothing, so it costs nothing either.
    const bounded = budget !== undefined && budget.max !== Infinity ? budget : undefined;
    const reply = await client.increment(
      [keys.totals(site), keys.articles(site), keys.site(site), keys.sites, keys.daily(site, article), keys.seen(day), keys.seenDays],
      [
        site, article, day,
        seenKey === undefined ? '' : `s|${seenKey}`,
        bounded === undefined ? '' : `b|${bounded.key}`,
        bounded === undefined ? '0' : String(bounded.max),
        capArg(caps.maxSites), capArg(caps.maxArticlesPerSite),
        keys.counts, String(SEEN_TTL_SECONDS),
      ],
    );
    return incrementResult(reply, caps);
  };
}
