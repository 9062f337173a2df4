import type { AdminClientMessage, AdminServerMessage, ServerMessage } from '../../shared/protocol.js';

/** A server frame the dashboard acts on; anything else is ignored. */
export type AdminFrame = AdminServerMessage | Extract<ServerMessage, { type: 'error' }>;

const MAX_DELAY_MS = 30_000;

/**
 * Keeps one WebSocket to this server's /ws open, asks to watch `site` on every (re)open,
 * and reconnects with doubling delays. The session cookie rides along on the upgrade.
 */
export function watchSite(site: string, onFrame: (frame: AdminFrame) => void, onStatus: (online: boolean) => void): void {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  let delay = 1000;
  const open = (): void => {
    const ws = new WebSocket(url);
    ws.onopen = () => {
      delay = 1000;
      ws.send(JSON.stringify({ type: 'watch-site', site } satisfies AdminClientMessage));
    };
    ws.onmessage = (event) => {
      let frame: unknown;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      const type = (frame as { type?: unknown } | null)?.type;
      if (type === 'site') onStatus(true);
      if (type === 'site' || type === 'feed' || type === 'error') onFrame(frame as AdminFrame);
    };
    ws.onclose = () => {
      onStatus(false);
      setTimeout(open, delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    };
  };
  open();
}
