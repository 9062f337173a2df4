/** One Adblock Plus / uBlock network rule, compiled to a test on a URL. */
export interface UrlRule {
  rule: string;
  matches(url: string): boolean;
}

// ABP's `^` separator: anything but a letter, digit or one of `_ - . %`, or the end of the URL.
const SEPARATOR = '(?:[^\\w\\-.%]|$)';

/**
 * Compiles the network rules of a filter list (comments, element hiding and exceptions
 * skipped). Options after `$` are dropped, so a rule counts as matching whatever its options
 * say: stricter than a blocker, which is what a guard wants. Rules match case-insensitively.
 */
export function parseRules(list: string): UrlRule[] {
  return list
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('!') && !line.startsWith('@@') && !line.includes('##'))
    .map((rule) => ({ rule, matches: compile(rule) }));
}

function compile(rule: string): (url: string) => boolean {
  let pattern = rule.replace(/\$[^/]*$/, '');
  let prefix = '';
  let suffix = '';
  if (pattern.startsWith('||')) {
    prefix = '^[a-z][a-z0-9+.-]*:\\/\\/(?:[^/?#]*\\.)?';
    pattern = pattern.slice(2);
  } else if (pattern.startsWith('|')) {
    prefix = '^';
    pattern = pattern.slice(1);
  }
  if (pattern.endsWith('|')) {
    suffix = '$';
    pattern = pattern.slice(0, -1);
  }
  const body = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '^' ? SEPARATOR : ch.replace(/[.+?()[\]{}|\\/$]/g, '\\$&')))
    .join('');
  const regex = new RegExp(prefix + body + suffix, 'i');
  return (url) => regex.test(url);
}
