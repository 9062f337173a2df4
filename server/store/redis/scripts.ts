/**
 * The Lua scripts of the Redis store. Each runs atomically in Redis; each checks everything
 * that can refuse before its first write, because Redis does not roll a script back.
 */

/**
 * One read. KEYS: totals, articles, site, sites, daily, seen (the day's hash), seen-days.
 * ARGV: site, article, day, seen field ('' for none), budget field ('' for none), budget max,
 * max sites (-1: no cap), max articles per site (-1), counts channel, seen TTL in seconds.
 * Returns the new total, or 'seen', 'budget_spent', 'too_many_sites', 'too_many_articles'
 * (nothing changed).
 */
export const INCREMENT_LUA = `
local totals, articles, siteKey, sites, daily, seen, seenDays = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local site, article, day, seenField, budgetField = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if seenField ~= '' and redis.call('HEXISTS', seen, seenField) == 1 then return 'seen' end
local stored = redis.call('HGET', totals, article)
local siteArticles = nil
if not stored then
  siteArticles = redis.call('HGET', siteKey, 'articles')
  if not siteArticles then
    local maxSites = tonumber(ARGV[7])
    if maxSites >= 0 and redis.call('ZCARD', sites) >= maxSites then return 'too_many_sites' end
  else
    local maxArticles = tonumber(ARGV[8])
    if maxArticles >= 0 and tonumber(siteArticles) >= maxArticles then return 'too_many_articles' end
  end
end
if budgetField ~= '' then
  local used = tonumber(redis.call('HGET', seen, budgetField) or '0')
  if used >= tonumber(ARGV[6]) then return 'budget_spent' end
  redis.call('HINCRBY', seen, budgetField, 1)
end
if seenField ~= '' then redis.call('HSET', seen, seenField, 1) end
if (seenField ~= '' or budgetField ~= '') and redis.call('SADD', seenDays, day) == 1 then
  redis.call('EXPIRE', seen, tonumber(ARGV[10]))
end
local total = redis.call('HINCRBY', totals, article, 1)
if not stored then
  redis.call('ZADD', articles, 0, article)
  redis.call('HINCRBY', siteKey, 'articles', 1)
  if not siteArticles then redis.call('ZADD', sites, 0, site) end
end
redis.call('HINCRBY', siteKey, 'reads', 1)
redis.call('HINCRBY', daily, day, 1)
redis.call('PUBLISH', ARGV[9], site .. '\\n' .. article .. '\\n' .. total)
return total
`;

/**
 * The secret of one day, created once for every node. KEYS: secrets, seen-days. ARGV: day,
 * a fresh hex secret (used only if the day has none), the prefix of a day's seen hash.
 * Creating one drops older days' secrets and seen hashes; a newer day's secret (a node whose
 * clock runs ahead) is kept, so a lagging node cannot wipe it.
 */
export const DAY_SECRET_LUA = `
local secrets, seenDays, day = KEYS[1], KEYS[2], ARGV[1]
local found = redis.call('HGET', secrets, day)
if found then return found end
for _, other in ipairs(redis.call('HKEYS', secrets)) do
  if other < day then redis.call('HDEL', secrets, other) end
end
redis.call('HSET', secrets, day, ARGV[2])
for _, other in ipairs(redis.call('SMEMBERS', seenDays)) do
  if other < day then
    redis.call('UNLINK', ARGV[3] .. other)
    redis.call('SREM', seenDays, other)
  end
end
return ARGV[2]
`;

/**
 * The import merge. Keys are built from ARGV[1] (the prefix) because a merge touches an
 * unbounded set of them; this needs a single Redis primary, not a sharded Redis Cluster.
 * ARGV: prefix, number of day rows, then (site, article, day, reads) per row, then
 * (site, article, reads) per total. Every value is checked before the first write. Each raised
 * article's new total is published on the counts channel, marked `merged`, so open pages tick.
 * Returns { daysChanged, readsAdded }.
 */
export const MERGE_LUA = `
local prefix, rowCount = ARGV[1], tonumber(ARGV[2])
local firstTotal = 3 + rowCount * 4
for i = 6, firstTotal - 1, 4 do
  if not string.match(ARGV[i], '^%d+$') or not string.match(ARGV[i - 1], '^%d%d%d%d%-%d%d%-%d%d$') then
    return redis.error_reply('bad row ' .. ((i - 2) / 4) .. ': reads must be a whole number and day YYYY-MM-DD')
  end
end
for i = firstTotal + 2, #ARGV, 3 do
  if not string.match(ARGV[i], '^%d+$') then
    return redis.error_reply('bad total ' .. ((i - firstTotal + 1) / 3) .. ': reads must be a whole number')
  end
end
local changed = {}
local function addToTotal(site, article, reads)
  changed[site .. '\\n' .. article] = { site, article }
  local stored = redis.call('HGET', prefix .. 'totals:' .. site, article)
  redis.call('HINCRBY', prefix .. 'totals:' .. site, article, reads)
  if not stored then
    redis.call('ZADD', prefix .. 'articles:' .. site, 0, article)
    redis.call('HINCRBY', prefix .. 'site:' .. site, 'articles', 1)
    redis.call('ZADD', prefix .. 'sites', 0, site)
  end
  redis.call('HINCRBY', prefix .. 'site:' .. site, 'reads', reads)
end
local daysChanged, readsAdded = 0, 0
for i = 3, firstTotal - 1, 4 do
  local site, article, day, reads = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  local key = prefix .. 'daily:' .. site .. '\\n' .. article
  local stored = tonumber(redis.call('HGET', key, day) or '0')
  if reads > stored then
    redis.call('HSET', key, day, reads)
    addToTotal(site, article, reads - stored)
    daysChanged = daysChanged + 1
    readsAdded = readsAdded + reads - stored
  end
end
for i = firstTotal, #ARGV, 3 do
  local site, article, reads = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local stored = tonumber(redis.call('HGET', prefix .. 'totals:' .. site, article) or '0')
  if reads > stored then
    addToTotal(site, article, reads - stored)
    readsAdded = readsAdded + reads - stored
  end
end
-- Every node's open pages of a raised article get its new total, marked as merged (not a read).
for _, pair in pairs(changed) do
  local total = redis.call('HGET', prefix .. 'totals:' .. pair[1], pair[2])
  redis.call('PUBLISH', prefix .. 'counts', pair[1] .. '\\n' .. pair[2] .. '\\n' .. total .. '\\nmerged')
end
return { daysChanged, readsAdded }
`;

/**
 * Adds an admin session. KEYS: sessions. ARGV: key, expiresAt, now, max. Drops expired keys,
 * then the soonest-expiring beyond max - 1, then adds the key.
 */
export const ADD_SESSION_LUA = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZREM', KEYS[1], ARGV[1])
local extra = redis.call('ZCARD', KEYS[1]) - (tonumber(ARGV[4]) - 1)
if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, extra - 1) end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
`;
