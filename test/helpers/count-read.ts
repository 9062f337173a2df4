import type { TestServer } from './server.js';
import { connect, type TestSocket } from './ws.js';

/**
 * Counts one read the way a page earns it: subscribe in reading mode, let the dwell time
 * pass on the server's clock, send `read`. The socket stays open (the page is still being
 * read) so it shows in "reading now"; close it when done.
 */
export async function countRead(server: TestServer, article: string, origin = 'https://blog.example.com'): Promise<TestSocket> {
  const socket = await connect(server.wsUrl, { origin });
  socket.send({ type: 'subscribe', article, mode: 'reading' });
  await socket.next('count');
  server.clock.advance(10_000);
  socket.send({ type: 'read', article });
  await socket.next('counted');
  return socket;
}
