// Preloaded into each server under test (`node --import probe.mjs --expose-gc`). Answers the
// bench driver over IPC, without touching the server's own code:
//   {type:'memory', gc}             → RSS and heap, after two full GCs when asked;
//   {type:'profile', action:'start'} / {type:'profile', action:'stop', file}
//                                   → a CPU profile of just one phase, written to `file`.
// The IPC channel is unref'd so it never keeps a server alive.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

/** @type {Session | undefined} */
let inspector;

function post(method, params = {}) {
  return new Promise((resolve, reject) => {
    inspector?.post(method, params, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function profile(message) {
  if (message.action === 'start') {
    inspector ??= new Session();
    inspector.connect?.();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
    await post('Profiler.start');
    return {};
  }
  const { profile: result } = /** @type {any} */ (await post('Profiler.stop'));
  writeFileSync(message.file, JSON.stringify(result));
  inspector?.disconnect();
  inspector = undefined;
  return { file: message.file };
}

if (process.send !== undefined) {
  process.on('message', async (message) => {
    if (message?.type === 'memory') {
      if (message.gc && typeof globalThis.gc === 'function') {
        globalThis.gc();
        globalThis.gc();
      }
      const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
      process.send?.({ type: 'memory', id: message.id, rss, heapUsed, heapTotal, external, arrayBuffers });
    } else if (message?.type === 'profile') {
      try {
        process.send?.({ type: 'profile', id: message.id, ...(await profile(message)) });
      } catch (error) {
        process.send?.({ type: 'profile', id: message.id, error: String(error) });
      }
    }
  });
  process.channel?.unref();
  // The bench driver is gone (crashed or killed): stop as if told to, never linger.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
