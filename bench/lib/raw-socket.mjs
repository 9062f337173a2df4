// A minimal WebSocket client on a bare TCP socket, for load generators that hold ten
// thousand connections in one process. It does the upgrade, sends masked text frames and
// parses the server's small unmasked frames in place; no per-frame objects beyond the
// callback, so the generator spends its CPU on the server's frames, not on its own client.
import net from 'node:net';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const HEADER_END = Buffer.from('\r\n\r\n');
const ZERO_MASK = Buffer.alloc(4);
/** Every socket of the process reads into this; #data copies what it must keep. */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/** Milliseconds on CLOCK_MONOTONIC, which every process on this machine shares. */
export function now() {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

/**
 * @typedef {object} RawSocketHandlers
 * @property {(socket: RawSocket) => void} onOpen upgrade accepted
 * @property {(socket: RawSocket, data: Buffer, start: number, end: number, at: number) => void} onText
 * @property {(socket: RawSocket, reason: string) => void} onClose closed or failed, once
 */

/** One client connection. */
export class RawSocket {
  /**
   * @param {{ host: string, port: number, localAddress?: string, origin: string, userAgent: string }} target
   * @param {RawSocketHandlers} handlers
   */
  constructor(target, handlers) {
    this.handlers = handlers;
    this.open = false;
    this.closed = false;
    /** @type {Buffer | undefined} */
    this.pending = undefined;
    /** Free for the owner's bookkeeping. @type {any} */
    this.state = undefined;
    // `onread` hands each read to one callback with a shared buffer: no stream, no 'data'
    // event, no Buffer per read. Ten thousand sockets cost the generator far less CPU.
    const socket = net.connect({
      host: target.host,
      port: target.port,
      localAddress: target.localAddress,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (length, buffer) => void this.#data(buffer.subarray(0, length)) },
    });
    this.socket = socket;
    socket.on('connect', () => {
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${target.origin}\r\nUser-Agent: ${target.userAgent}\r\n\r\n`,
      );
    });
    socket.on('error', (error) => this.#end(error.message));
    socket.on('close', () => this.#end(this.open ? 'closed' : 'closed before upgrade'));
  }

  /** Sends one text frame (masked with a zero key, which the protocol allows). @param {string} text */
  send(text) {
    if (!this.open || this.closed) return false;
    const payload = Buffer.from(text);
    const length = payload.length;
    const header = length < 126 ? Buffer.from([0x81, 0x80 | length]) : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 255]);
    this.socket.write(Buffer.concat([header, ZERO_MASK, payload]));
    return true;
  }

  /** Closes the TCP connection at once. */
  destroy() {
    this.socket.destroy();
  }

  /** @param {Buffer} chunk */
  #data(chunk) {
    const buf = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = undefined;
    let offset = 0;
    if (!this.open) {
      const end = buf.indexOf(HEADER_END);
      if (end < 0) {
        this.pending = Buffer.from(buf);
        return;
      }
      if (!buf.subarray(0, 13).toString().startsWith('HTTP/1.1 101')) {
        const status = buf.subarray(0, buf.indexOf('\r\n')).toString();
        this.#end(`upgrade refused: ${status}`);
        this.socket.destroy();
        return;
      }
      this.open = true;
      offset = end + 4;
      this.handlers.onOpen(this);
    }
    const at = now();
    while (buf.length - offset >= 2) {
      const opcode = buf[offset] & 15;
      let length = buf[offset + 1] & 127;
      let header = 2;
      if (length === 126) {
        if (buf.length - offset < 4) break;
        length = buf.readUInt16BE(offset + 2);
        header = 4;
      } else if (length === 127) {
        if (buf.length - offset < 10) break;
        length = Number(buf.readBigUInt64BE(offset + 2));
        header = 10;
      }
      if (buf.length - offset < header + length) break;
      const start = offset + header;
      offset = start + length;
      if (opcode === 1) this.handlers.onText(this, buf, start, offset, at);
      else if (opcode === 9) this.#control(0x8a, buf.subarray(start, offset));
      else if (opcode === 8) {
        this.#control(0x88, buf.subarray(start, Math.min(offset, start + 2)));
        this.socket.end();
        this.#end(`close ${length >= 2 ? buf.readUInt16BE(start) : ''}`);
        return;
      }
    }
    // The read buffer is shared: keep a copy of a partial frame, never a view.
    if (offset < buf.length) this.pending = Buffer.from(buf.subarray(offset));
  }

  /** @param {number} first @param {Buffer} payload */
  #control(first, payload) {
    if (this.closed) return;
    this.socket.write(Buffer.concat([Buffer.from([first, 0x80 | payload.length]), ZERO_MASK, payload]));
  }

  /** @param {string} reason */
  #end(reason) {
    if (this.closed) return;
    this.closed = true;
    this.open = false;
    this.handlers.onClose(this, reason);
  }
}

/**
 * The fields the bench needs from a server frame, read without JSON.parse when the frame has
 * the usual key order (`{"type":"count","article":…,"reads":…`), else by JSON.parse.
 * @param {Buffer} buf @param {number} start @param {number} end
 * @returns {{ type: string, article?: string, reads?: number, live?: number, code?: string }}
 */
export function parseFrame(buf, start, end) {
  if (buf[start + 9] === 0x63 && buf[start + 14] === 0x22 && buf[start + 13] === 0x74) {
    // {"type":"count","article":"…","reads":N
    const articleStart = start + 27;
    const articleEnd = buf.indexOf(0x22, articleStart);
    if (buf.latin1Slice(start + 15, articleStart) === ',"article":"' && articleEnd > 0 && articleEnd < end) {
      const readsAt = articleEnd + 10;
      if (buf.latin1Slice(articleEnd, readsAt) === '","reads":') {
        let reads = 0;
        let i = readsAt;
        for (; i < end && buf[i] >= 0x30 && buf[i] <= 0x39; i++) reads = reads * 10 + buf[i] - 0x30;
        // `,"live":N` follows on readcounter and the baseline; -1 when a server leaves it out.
        let live = -1;
        if (buf[i + 2] === 0x6c && buf.latin1Slice(i, i + 8) === ',"live":') {
          live = 0;
          for (i += 8; i < end && buf[i] >= 0x30 && buf[i] <= 0x39; i++) live = live * 10 + buf[i] - 0x30;
        }
        return { type: 'count', article: buf.latin1Slice(articleStart, articleEnd), reads, live };
      }
    }
  }
  return JSON.parse(buf.toString('utf8', start, end));
}
