import type { WebSocket } from 'ws';
import { CloseCode } from '../../shared/protocol.js';

/**
 * Whether one more frame may be queued on `ws`. A page that stops reading (or a script that
 * never reads) would otherwise make the server hold every reply it is sent: once the send
 * backlog is over `maxBytes` the socket is closed with 1013 and the frame dropped, so a
 * socket never holds more than `maxBytes` plus one frame. A real page's backlog stays near
 * zero, since its browser reads frames as they come.
 */
export function roomToSend(ws: WebSocket, maxBytes: number): boolean {
  if (ws.readyState !== ws.OPEN) return false;
  if (ws.bufferedAmount <= maxBytes) return true;
  ws.close(CloseCode.tryAgainLater, `send backlog over ${maxBytes} bytes`);
  return false;
}
