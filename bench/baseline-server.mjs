// The bare-ws floor the bench compares readcounter against: the least a live counter on `ws`
// can do. One Map<article, Set<socket>>; on a read, increment an in-memory counter, serialize
// the count once and send it to every watcher: every intermediate value, no coalescing, no
// storage, no limits. Same frames as readcounter, so one load generator drives both.
//
//   PORT=0 HOST=127.0.0.1 node bench/baseline-server.mjs
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const TEXT = { binary: false };
/** @type {Map<string, { reads: number, live: number, sockets: Set<import('ws').WebSocket> }>} */
const articles = new Map();
/** @type {WeakMap<import('ws').WebSocket, Map<string, string>>} article → mode, per socket */
const subscriptions = new WeakMap();
const hello = JSON.stringify({ type: 'hello', version: 1, dwellSeconds: 0 });

function topic(article) {
  let t = articles.get(article);
  if (t === undefined) articles.set(article, (t = { reads: 0, live: 0, sockets: new Set() }));
  return t;
}

const countFrame = (article, t) => JSON.stringify({ type: 'count', article, reads: t.reads, live: t.live });

/** @this {import('ws').WebSocket} @param {Buffer} data */
function onMessage(data) {
  let message;
  try {
    message = JSON.parse(data.toString());
  } catch {
    return;
  }
  const mine = /** @type {Map<string, string>} */ (subscriptions.get(this));
  const { type, article } = message;
  if (typeof article !== 'string') return;
  if (type === 'subscribe') {
    const t = topic(article);
    const mode = message.mode === 'watching' ? 'watching' : 'reading';
    const before = mine.get(article);
    if (before === 'reading') t.live--;
    if (mode === 'reading') t.live++;
    mine.set(article, mode);
    t.sockets.add(this);
    this.send(countFrame(article, t));
  } else if (type === 'unsubscribe') {
    leave(this, mine, article);
  } else if (type === 'read') {
    const t = articles.get(article);
    if (t === undefined || !t.sockets.has(this)) return;
    t.reads++;
    this.send(JSON.stringify({ type: 'counted', article, reads: t.reads }));
    const frame = Buffer.from(countFrame(article, t));
    for (const socket of t.sockets) socket.send(frame, TEXT);
  }
}

function leave(socket, mine, article) {
  const t = articles.get(article);
  if (t === undefined || !t.sockets.delete(socket)) return;
  if (mine.get(article) === 'reading') t.live--;
  mine.delete(article);
}

/** @this {import('ws').WebSocket} */
function onClose() {
  const mine = subscriptions.get(this);
  if (mine !== undefined) for (const article of [...mine.keys()]) leave(this, mine, article);
}

const server = createServer((req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, clientTracking: false, maxPayload: 2048 });
wss.on('connection', (ws) => {
  subscriptions.set(ws, new Map());
  ws.on('message', onMessage).on('close', onClose).on('error', () => {});
  ws.send(hello);
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(`baseline: listening on http://${process.env.HOST ?? '127.0.0.1'}:${port}`);
});
function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
