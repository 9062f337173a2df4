import type { AdminServerMessage, ServerMessage } from '../../shared/protocol.js';
import { createConnection, type Send } from '../connection.js';
import { socketUrl } from '../socket-url.js';

/** A server frame the dashboard acts on; anything else is ignored. */
export type AdminFrame = AdminServerMessage | Extract<ServerMessage, { type: 'error' }>;

/**
 * Keeps one WebSocket to this server's /ws open (the page's reconnecting socket, as the
 * `<read-counter>` element has it) and asks to watch `site` on every (re)open. The session
 * cookie rides along on the upgrade.
 */
export function watchSite(site: string, onFrame: (frame: AdminFrame) => void, onStatus: (online: boolean) => void): void {
  const send: Send = createConnection(socketUrl(new URL('/', location.href).href), {
    open: () => void send({ type: 'watch-site', site }),
    message(message) {
      const frame = message as ServerMessage | AdminServerMessage;
      if (frame.type === 'site') onStatus(true);
      if (frame.type === 'site' || frame.type === 'feed' || frame.type === 'error') onFrame(frame);
    },
    close: () => onStatus(false),
  });
}
