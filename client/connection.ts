import type { ClientMessage, ServerMessage } from '../shared/protocol.js';
import { backoffDelay, RESTART_RETRIES, STABLE_UPTIME_MS } from './backoff.js';

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
 * A socket refused before it opened is explained by the server over plain HTTP; a refusal
 * this page cannot outlive (its origin is not allowed) is told to the console once, and
 * ends the attempts for this page view.
 */
export function createConnection(url: string, events: ConnectionEvents): Send {
  // Long only as a factory: one socket's state and its small handlers (open, message, close, retry, visibility) share one closure.
  let ws: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let openedAt = -1;
  let frozen = false;
  let refused = false;

  // Browsers hide why an upgrade failed; the same URL over HTTP says whether this page's
  // Origin may connect (403 and the reason) or not (anything else: a passing failure).
  const diagnose = (): void =>
    void fetch(url.replace(/^ws/, 'http'))
      .then((response) => response.status === 403 && response.json())
      .then((body: false | { error: { message: string } }) => {
        // wake() makes no new attempt once refused, including the one already scheduled.
        if (body && !refused) {
          refused = true;
          console.warn(body.error.message);
        }
      }, () => {});

  // After a stable connection the backoff starts over; after one the server ended with 1001
  // (it restarts), with the restart retries first.
  const drop = (code?: number): void => {
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    ws = null;
    if (openedAt >= 0 && performance.now() - openedAt >= STABLE_UPTIME_MS) attempt = code === 1001 ? -RESTART_RETRIES : 0;
    openedAt = -1;
    events.close();
  };

  const wake = (): void => {
    clearTimeout(timer);
    // A prerendered page nobody has opened yet must not show up in `live`.
    if (ws || frozen || refused || (document as Document & { prerendering?: boolean }).prerendering) return;
    const socket = (ws = new WebSocket(url));
    socket.onopen = () => {
      openedAt = performance.now();
      events.open();
    };
    // Frames come from our own server: anything but JSON is a bug to see in the console.
    socket.onmessage = (event) => events.message(JSON.parse(event.data) as ServerMessage);
    // Every close is retried: 1006 (network), 1001 (server restart), 1008/1009 alike.
    socket.onclose = (event) => {
      if (openedAt < 0) diagnose();
      drop(event.code);
      if (!document.hidden && navigator.onLine) timer = setTimeout(wake, backoffDelay(attempt++));
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
  for (const type of ['visibilitychange', 'prerenderingchange']) document.addEventListener(type, () => !document.hidden && wake());
  wake();

  return (message) => ws?.readyState === 1 && (ws.send(JSON.stringify(message)), true);
}
