/** What a count frame is built from: a topic's identity and its latest figures. */
export interface CountState {
  readonly article: string;
  readonly reads: number;
  readonly readers: number;
  /** Readers on other nodes (cluster mode); 0 on a single node. */
  readonly remote: number;
}

/** `live` as pages see it: the readers here and, in cluster mode, on every other node. */
export function liveOf(state: Pick<CountState, 'readers' | 'remote'>): number {
  return state.readers + state.remote;
}

/** A broadcast as it goes out: the framed bytes for every socket, and the payload inside them. */
export interface Framed {
  wire: Buffer;
  /** A view into `wire`, for peers that frame for themselves. */
  payload: Buffer;
}

/** The `count` message of a topic as JSON text. */
export function countJson(topic: CountState): string {
  return JSON.stringify({ type: 'count', article: topic.article, reads: topic.reads, live: liveOf(topic) });
}

/**
 * A server-to-client text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked) holding `json`,
 * built in one buffer. Framing once per broadcast instead of once per socket is what lets
 * a broadcast cost one write() per watcher and no allocation.
 */
export function wireFrame(json: string): Framed {
  const length = Buffer.byteLength(json);
  const head = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const wire = Buffer.allocUnsafe(head + length);
  wire[0] = 0x81;
  if (head === 2) {
    wire[1] = length;
  } else if (head === 4) {
    wire[1] = 126;
    wire.writeUInt16BE(length, 2);
  } else {
    wire[1] = 127;
    wire.writeBigUInt64BE(BigInt(length), 2);
  }
  wire.write(json, head);
  return { wire, payload: wire.subarray(head) };
}
