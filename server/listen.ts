import type { ListenOptions, Server } from 'node:net';

/** Starts `server` listening (a TCP port and host, or a Unix socket path); rejects with the listen error. */
export function listen(server: Server, options: ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
