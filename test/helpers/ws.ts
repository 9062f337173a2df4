import WebSocket from 'ws';
import type { ServerMessage } from '../../shared/protocol.js';

/** The origin test pages claim by default. */
export const TEST_ORIGIN = 'https://blog.example.com';

/** A person's desktop browser; `ws` sends no User-Agent of its own, which counts as a bot. */
export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** A test socket: send objects, await the next frame, see how it closed. */
export interface TestSocket {
  ws: WebSocket;
  send(frame: unknown): void;
  sendRaw(data: string | Buffer): void;
  /** The next frame (optionally the next one matching), failing after `timeoutMs`. */
  next<T extends ServerMessage['type']>(type?: T, timeoutMs?: number): Promise<Extract<ServerMessage, { type: T }>>;
  /** The next frame for which `match` is true. */
  nextWhere(match: (message: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  /** Frames received and not yet taken by next(). */
  received: ServerMessage[];
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Opens a WebSocket and waits for the server's `hello`. */
export async function connect(
  url: string,
  {
    origin = TEST_ORIGIN,
    userAgent = BROWSER_UA,
    headers: extra = {},
    localAddress,
  }: { origin?: string; userAgent?: string | null; headers?: Record<string, string>; /** Source address, e.g. 127.0.0.2: another client IP. */ localAddress?: string } = {},
): Promise<TestSocket> {
  const headers: Record<string, string> = { ...extra };
  if (userAgent !== null) headers['user-agent'] = userAgent;
  const ws = new WebSocket(url, { origin, headers, localAddress });
  const received: ServerMessage[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    received.push(JSON.parse(data.toString()) as ServerMessage);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  const socket: TestSocket = {
    ws,
    received,
    closed,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data) => ws.send(data),
    next: (type, timeoutMs) => socket.nextWhere((m) => type === undefined || m.type === type, timeoutMs) as never,
    async nextWhere(match, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = received.findIndex(match);
        if (index >= 0) return received.splice(index, 1)[0]!;
        if (ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting; got ${JSON.stringify(received)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(received)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async close() {
      if (ws.readyState !== WebSocket.CLOSED) ws.close();
      await closed;
    },
  };
  await socket.next('hello');
  return socket;
}

/** Waits until the server has handled everything sent so far on these sockets (one round trip each). */
export async function settle(...sockets: TestSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(async (s) => {
      s.send({ type: 'unsubscribe', article: '/__settle__' });
      await s.nextWhere((m) => m.type === 'error' && m.article === '/__settle__');
    }),
  );
}

/**
 * One page view that reads an article for the dwell time: connects, subscribes in reading
 * mode, moves the server clock past the dwell time, sends `read`, and returns the answer
 * (`counted` or `error`) after closing the socket.
 */
export async function readOnce(
  wsUrl: string,
  advance: (ms: number) => void,
  article: string,
  options: Parameters<typeof connect>[1] = {},
  dwellMs = 10_000,
): Promise<ServerMessage> {
  const page = await connect(wsUrl, options);
  page.send({ type: 'subscribe', article, mode: 'reading' });
  const subscribed = await page.nextWhere((m) => m.type === 'count' || m.type === 'error');
  if (subscribed.type === 'error') {
    await page.close();
    return subscribed;
  }
  advance(dwellMs);
  page.send({ type: 'read', article });
  const answer = await page.nextWhere((m) => m.type === 'counted' || m.type === 'error');
  await page.close();
  return answer;
}

/** Tries an upgrade: 101 when the socket opened (then closes it), else the refusal's status and JSON error. */
export function tryUpgrade(
  wsUrl: string,
  { origin, headers = {} }: { origin: string; headers?: Record<string, string> },
): Promise<{ status: number; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, { origin, headers: { 'user-agent': BROWSER_UA, ...headers } });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(body === '' ? {} : (JSON.parse(body) as { error: { code: string; message: string } })) }));
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101 });
    });
    ws.on('error', () => {});
  });
}

/** A WebSocket upgrade to `wsUrl` from `origin`: the HTTP status it got, 101 when it opened. */
export async function upgradeStatus(wsUrl: string, origin: string): Promise<number> {
  return (await tryUpgrade(wsUrl, { origin })).status;
}
