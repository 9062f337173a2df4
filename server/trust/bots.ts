import { isbot } from 'isbot';

/** Why a client is treated as a bot, or undefined for a person's browser. */
export type BotReason = 'empty_user_agent' | 'user_agent';

/**
 * Checks the upgrade's User-Agent. Bots are shown counts but never counted. An empty or
 * missing user agent is a script, not a reader.
 */
export function botReason(userAgent: string | undefined): BotReason | undefined {
  if (userAgent === undefined || userAgent.trim() === '') return 'empty_user_agent';
  return isbot(userAgent) ? 'user_agent' : undefined;
}
