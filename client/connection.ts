import { parseServerMessage, type ClientMessage, type ServerMessage } from '../shared/protocol.js';
import { backoffDelay, STABLE_UPTIME_MS } from './backoff.js';

/** What a connection reports to its owner. */
export interface ConnectionEvents {
  /** The socket is open: (re)subscribe now. */
  open(): void;
  message(message: ServerMessage): void;
  /** The socket is gone; a new one will open later. */
  close(): void;
}

/** Sends a frame; false (and nothing sent) while the socket is not open. */
export type Send = (message: ClientMessage) => boolean;

/**
 * Opens the page's one WebSocket to the counter server and keeps it open: reconnects with
 * capped, jittered backoff; makes no attempt while the page is hidden or offline, and
 * tries at once when it becomes visible, comes online or is shown again. Closes on
 * `pagehide` so the page stays eligible for the back/forward cache (never `unload`).
 */
export function createConnection(url: string, events: ConnectionEvents): Send {
  let ws: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let openedAt = -1;
  let frozen = false;

  const drop = (): void => {
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    ws = null;
    if (openedAt >= 0 && performance.now() - openedAt >= STABLE_UPTIME_MS) attempt = 0;
    openedAt = -1;
    events.close();
  };

  const wake = (): void => {
    clearTimeout(timer);
    // A prerendered page nobody has opened yet must not show up in `live`.
    if (ws || frozen || (document as Document & { prerendering?: boolean }).prerendering) return;
    const socket = (ws = new WebSocket(url));
    socket.onopen = () => {
      openedAt = performance.now();
      events.open();
    };
    socket.onmessage = (event) => {
      const message = typeof event.data === 'string' ? parseServerMessage(event.data) : null;
      if (message) events.message(message);
    };
    // Every close is retried: 1006 (network), 1001 (server restart), 1008/1009 alike.
    socket.onclose = () => {
      drop();
      if (document.visibilityState === 'visible' && navigator.onLine) timer = setTimeout(wake, backoffDelay(attempt++));
    };
  };

  addEventListener('online', wake);
  addEventListener('pageshow', () => {
    frozen = false;
    wake();
  });
  addEventListener('pagehide', () => {
    frozen = true;
    clearTimeout(timer);
    const socket = ws;
    drop();
    socket?.close();
  });
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && wake());
  document.addEventListener('prerenderingchange', wake);
  wake();

  return (message) => ws?.readyState === 1 && (ws.send(JSON.stringify(message)), true);
}
