import type { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import {
  CloseCode,
  ErrorCode,
  parseClientMessage,
  type ClientMessage,
  type ServerMessage,
  type ParseLimits,
  type SubscribeMode,
} from '../../shared/protocol.js';
import type { Framed, Hub, Peer, Topic } from './hub.js';
import { liveOf } from './frame.js';
import { ReadRefused, type ReadRecorder } from '../reads.js';
import type { ServerEvents } from '../events.js';
import type { Reader } from '../trust/reader.js';
import { roomToSend } from './backlog.js';
import type { TopicLimits } from './topic-limits.js';

/** What every connection shares: settings and services, held once, not per socket. */
export interface ConnectionContext {
  hub: Hub;
  /** Subscribes and unsubscribes through the hub within the per-network and per-site caps. */
  topics: TopicLimits;
  reads: ReadRecorder;
  now: () => number;
  dwellMs: number;
  maxSubscriptions: number;
  maxFramesPerSecond: number;
  /** Bytes a socket may have queued before it is closed with 1013 (MAX_SEND_BACKLOG_BYTES). */
  maxSendBacklogBytes: number;
  parseLimits: ParseLimits;
  events: ServerEvents;
  /** The `hello` frame, framed once for every connection. */
  hello: Framed;
  /** The dashboard's live channel (server/dashboard/live-feed.ts), for admin connections' `watch-site`. */
  feed: { watch(peer: Peer, site: string): void; unwatch(peer: Peer): void };
}

interface Subscription {
  topic: Topic;
  mode: SubscribeMode;
  since: number;
  counted: boolean;
}

const TEXT = { binary: false } as const;

/**
 * One page's socket: its subscriptions, the dwell rule and its flood limit. Holds no
 * timers or closures of its own; the heartbeat (heartbeat.ts) and shared socket listeners drive it.
 */
export class Connection implements Peer {
  readonly ws: WebSocket;
  readonly site: string;
  readonly reader: Reader;
  /** Set at upgrade when the dashboard's session cookie came along: may send `watch-site`. */
  admin: boolean | Promise<boolean> = false;
  #ctx: ConnectionContext;
  /** The upgraded TCP socket under `ws`, for broadcasts framed once by the hub. */
  #socket: Duplex;
  #subscriptions = new Map<string, Subscription>();
  #windowStart = 0;
  #framesInWindow = 0;

  constructor(ws: WebSocket, site: string, reader: Reader, ctx: ConnectionContext, socket: Duplex) {
    this.ws = ws;
    this.site = site;
    this.reader = reader;
    this.#ctx = ctx;
    this.#socket = socket;
    this.sendWire(ctx.hello.wire);
  }

  /** The upgraded TCP socket under `ws`. */
  get socket(): Duplex {
    return this.#socket;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  send(frame: Buffer): void {
    if (roomToSend(this.ws, this.#ctx.maxSendBacklogBytes)) this.ws.send(frame, TEXT);
  }

  // One write of bytes framed once per broadcast, instead of ws framing them again for each
  // socket. Safe beside ws's own writes: without permessage-deflate ws writes every frame
  // synchronously, so frames never interleave; after a close frame nothing more is sent.
  sendWire(wire: Buffer): void {
    if (roomToSend(this.ws, this.#ctx.maxSendBacklogBytes)) this.#socket.write(wire);
  }

  /** Handles one frame from the page. */
  receive(data: RawData, isBinary: boolean): void {
    // A socket being closed (flooding, backlog) still delivers what the peer sent meanwhile.
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.#overLimit()) {
      this.#ctx.events.readRefused(ErrorCode.rateLimited);
      this.#reply({ type: 'error', code: ErrorCode.rateLimited, message: `more than ${this.#ctx.maxFramesPerSecond} frames in one second` });
      this.ws.close(CloseCode.policyViolation, 'rate limited');
      return;
    }
    if (isBinary) {
      this.#reply({ type: 'error', code: ErrorCode.badMessage, message: 'frames must be JSON text, not binary' });
      return;
    }
    const parsed = parseClientMessage(data.toString(), this.#ctx.parseLimits);
    if (!parsed.ok) {
      this.#reply(parsed.error);
      return;
    }
    this.#dispatch(parsed.message);
  }

  /**
   * Handles a frame that arrives while the server is stopping: a `read` is refused with
   * `shutting_down`, so the page sends it again once it has reconnected; anything else waits
   * for the reconnect too. Touches neither the hub nor the store, which may be closed.
   */
  receiveWhileStopping(data: RawData, isBinary: boolean): void {
    if (isBinary || this.ws.readyState !== this.ws.OPEN) return;
    const parsed = parseClientMessage(data.toString(), this.#ctx.parseLimits);
    if (!parsed.ok || parsed.message.type !== 'read') return;
    this.#ctx.events.readRefused(ErrorCode.shuttingDown);
    this.#reply({ type: 'error', code: ErrorCode.shuttingDown, article: parsed.message.article, message: 'the server is shutting down; send the read again after reconnecting' });
  }

  /** Drops every subscription; called once when the socket closes. */
  closed(): void {
    for (const sub of this.#subscriptions.values()) this.#ctx.topics.unsubscribe(this, this.reader.limitKey, sub.topic, sub.mode);
    this.#subscriptions.clear();
    this.#ctx.feed.unwatch(this);
  }

  #dispatch(message: ClientMessage): void {
    switch (message.type) {
      case 'subscribe':
        return this.#subscribe(message.article, message.mode);
      case 'unsubscribe':
        return this.#unsubscribe(message.article);
      case 'read':
        return void this.#read(message.article);
      case 'watch-site':
        return void this.#watchSite(message.site);
    }
  }

  async #watchSite(site: string): Promise<void> {
    const admin = await this.admin;
    // The socket may have closed while the session store answered: nothing to watch for then.
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (admin) return this.#ctx.feed.watch(this, site);
    this.#reply({ type: 'error', code: ErrorCode.notAdmin, message: 'watch-site is for the dashboard: log in at /dashboard' });
  }

  #subscribe(article: string, requested: SubscribeMode): void {
    // A bot or an opted-out reader may watch, but is never one of the `live` readers.
    const mode = this.reader.bot === undefined && !this.reader.optedOut ? requested : 'watching';
    const existing = this.#subscriptions.get(article);
    if (existing !== undefined) {
      this.#ctx.hub.changeMode(existing.topic, existing.mode, mode);
      existing.mode = mode;
    } else if (this.#subscriptions.size >= this.#ctx.maxSubscriptions) {
      this.#reply({ type: 'error', code: ErrorCode.tooManySubscriptions, article, message: `at most ${this.#ctx.maxSubscriptions} articles per connection` });
      return;
    } else {
      const admitted = this.#ctx.topics.subscribe(this, this.reader.limitKey, this.site, article, mode);
      if (!admitted.ok) {
        this.#ctx.events.readRefused(ErrorCode.tooManyTopics);
        this.#reply({ type: 'error', code: ErrorCode.tooManyTopics, article, message: admitted.message });
        return;
      }
      this.#subscriptions.set(article, { topic: admitted.topic, mode, since: this.#ctx.now(), counted: false });
    }
    const { topic } = this.#subscriptions.get(article)!;
    // A topic new to this node sends its first count by broadcast once the store answers.
    if (topic.countKnown) this.sendWire(this.#ctx.hub.exactFrame(topic).wire);
  }

  #unsubscribe(article: string): void {
    const sub = this.#subscriptions.get(article);
    if (sub === undefined) {
      this.#reply({ type: 'error', code: ErrorCode.notSubscribed, article, message: 'not subscribed to this article' });
      return;
    }
    this.#subscriptions.delete(article);
    this.#ctx.topics.unsubscribe(this, this.reader.limitKey, sub.topic, sub.mode);
  }

  async #read(article: string): Promise<void> {
    const sub = this.#subscriptions.get(article);
    const refusal = this.#checkDwell(sub);
    if (refusal !== undefined) {
      this.#ctx.events.readRefused(refusal.code);
      this.#reply({ type: 'error', article, ...refusal });
      return;
    }
    // Marked before the write, so a second `read` sent while it commits is refused too.
    sub!.counted = true;
    try {
      const reads = await this.#ctx.reads.record(this.site, article, this.reader);
      // The reply carries the whole state, so the broadcast of this very read can skip this
      // page: one frame per read to its reader instead of two.
      const { topic } = sub!;
      this.#reply({ type: 'counted', article, reads: Math.max(reads, topic.reads), live: liveOf(topic) });
      this.#ctx.hub.markSent(this, topic);
    } catch (error) {
      sub!.counted = false;
      // Never rethrow: this runs detached from the socket's event, and input must not crash the server.
      const refused = error instanceof ReadRefused ? error : new ReadRefused(ErrorCode.storeUnavailable, 'the count could not be stored; try again later');
      this.#ctx.events.readRefused(refused.code);
      this.#reply({ type: 'error', code: refused.code, article, message: refused.message });
    }
  }

  #checkDwell(sub: Subscription | undefined): { code: ErrorCode; message: string; retryAfterMs?: number } | undefined {
    if (sub === undefined) return { code: ErrorCode.notSubscribed, message: 'subscribe to the article before sending read' };
    if (this.reader.bot !== undefined) return { code: ErrorCode.bot, message: 'this client looks like a bot: it is shown counts but never counted' };
    if (this.reader.optedOut) return { code: ErrorCode.doNotTrack, message: 'Do Not Track or Global Privacy Control is on: shown counts, never counted' };
    if (sub.mode !== 'reading') return { code: ErrorCode.notReading, message: 'subscribed in watching mode, which never counts' };
    if (sub.counted) return { code: ErrorCode.alreadyCounted, message: 'this page view was already counted' };
    const elapsed = this.#ctx.now() - sub.since;
    if (elapsed < this.#ctx.dwellMs) {
      const message = `read sent ${(elapsed / 1000).toFixed(1)} s after subscribing; the dwell time is ${this.#ctx.dwellMs / 1000} s`;
      return { code: ErrorCode.tooEarly, message, retryAfterMs: Math.ceil(this.#ctx.dwellMs - elapsed) };
    }
    return undefined;
  }

  #overLimit(): boolean {
    const at = this.#ctx.now();
    if (at - this.#windowStart >= 1000) {
      this.#windowStart = at;
      this.#framesInWindow = 0;
    }
    return ++this.#framesInWindow > this.#ctx.maxFramesPerSecond;
  }

  #reply(message: ServerMessage): void {
    if (roomToSend(this.ws, this.#ctx.maxSendBacklogBytes)) this.ws.send(JSON.stringify(message));
  }
}
