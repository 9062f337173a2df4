/**
 * The WebSocket URL of the counter server that served `scriptUrl` (the module's
 * `import.meta.url`): `https://counter.example.com/counter.js` → `wss://counter.example.com/ws`.
 * Resolved relative to the script, so a server behind a path prefix works too.
 */
export function socketUrl(scriptUrl: string): string {
  return new URL('ws', scriptUrl).href.replace(/^http/, 'ws');
}
