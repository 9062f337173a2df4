import { isbot } from 'isbot';

/** Why a client is treated as a bot, or undefined for a person's browser. */
export type BotReason = 'empty_user_agent' | 'user_agent';

// isbot's one large regular expression is the dearest step of an upgrade of ours, and a post's
// readers bring a few hundred distinct user agents: remember the verdicts, a bounded few of
// bounded length (the whole memory is dropped when it fills).
const VERDICTS_KEPT = 2048;
const LONGEST_REMEMBERED = 512;
const verdicts = new Map<string, boolean>();

/**
 * Checks the upgrade's User-Agent. Bots are shown counts but never counted. An empty or
 * missing user agent is a script, not a reader.
 */
export function botReason(userAgent: string | undefined): BotReason | undefined {
  if (userAgent === undefined || userAgent.trim() === '') return 'empty_user_agent';
  return isBotRemembered(userAgent) ? 'user_agent' : undefined;
}

function isBotRemembered(userAgent: string): boolean {
  const known = verdicts.get(userAgent);
  if (known !== undefined) return known;
  const bot = isbot(userAgent);
  if (userAgent.length <= LONGEST_REMEMBERED) {
    if (verdicts.size >= VERDICTS_KEPT) verdicts.clear();
    verdicts.set(userAgent, bot);
  }
  return bot;
}
