import { readFileSync } from 'node:fs';
import { parseRules, type UrlRule } from './abp-filter.js';

const RULES: UrlRule[] = parseRules(readFileSync(new URL('./easyprivacy-counters.txt', import.meta.url), 'utf8'));

/** The checked-in counter rules (test/docs/easyprivacy-counters.txt) that `url` matches; empty when none. */
export function blockedBy(url: string): string[] {
  return RULES.filter((r) => r.matches(url)).map((r) => r.rule);
}

/** How many rules are checked, so a test can see the list was read at all. */
export const RULE_COUNT = RULES.length;
