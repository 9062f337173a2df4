import { setImmediate as nextTurn } from 'node:timers/promises';

/** Bytes gathered into one chunk of a streamed body. */
export const CHUNK_BYTES = 16 * 1024;

/**
 * A response body made from text pieces, read as the client takes them: one chunk of about
 * CHUNK_BYTES per pull, each in a turn of the event loop of its own, so memory stays bounded
 * by the socket's buffer and each pull is a short task however long the whole body is.
 */
export function textStream(pieces: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const iterator = pieces[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // A fast client takes every chunk at once and the server's writer reads on in a chain
        // of promises, which never lets the event loop run: wait one turn per chunk.
        await nextTurn();
        let chunk = '';
        while (chunk.length < CHUNK_BYTES) {
          const next = await iterator.next();
          if (next.done === true) {
            if (chunk !== '') controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += next.value;
        }
        controller.enqueue(encoder.encode(chunk));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    // One chunk ahead at most: the rest waits for the client.
    { highWaterMark: 1 },
  );
}
