import type { RemoteReaders } from '../live/hub.js';
import type { PresenceMessage } from './presence-message.js';

/** Options of createRemotePresence(). */
export interface RemotePresenceOptions {
  /** This node's id: its own messages are skipped. */
  self: string;
  /** A node not heard from for this long drops out of every `live`. */
  staleMs: number;
  /** Told when an article's readers on other nodes changed (the hub's remoteChanged). */
  changed(site: string, article: string): void;
  /** A monotonic clock in ms. @default performance.now */
  now?: () => number;
}

/** Readers on other nodes, kept per node from their presence messages; the hub reads the sums. */
export interface RemotePresence extends RemoteReaders {
  /** Applies another node's message (this node's own are ignored). */
  apply(message: PresenceMessage): void;
  /** Drops every node not heard from for `staleMs` (a node killed with kill -9). */
  expire(): void;
  /** Nodes heard from recently. */
  nodes(): string[];
}

interface NodeState {
  heardAt: number;
  /** `site\narticle` → readers there. */
  counts: Map<string, number>;
}

const key = (site: string, article: string): string => `${site}\n${article}`;

/** Creates an empty table: no other node, nobody reading elsewhere. */
export function createRemotePresence({ self, staleMs, changed, now = () => performance.now() }: RemotePresenceOptions): RemotePresence {
  const nodes = new Map<string, NodeState>();
  // The sums over nodes, by site then article: what the hub asks for on every frame.
  const sums = new Map<string, Map<string, number>>();

  function add(site: string, article: string, by: number): void {
    let ofSite = sums.get(site);
    if (ofSite === undefined) sums.set(site, (ofSite = new Map()));
    const sum = (ofSite.get(article) ?? 0) + by;
    if (sum === 0) ofSite.delete(article);
    else ofSite.set(article, sum);
    if (ofSite.size === 0) sums.delete(site);
    changed(site, article);
  }

  function set(state: NodeState, site: string, article: string, readers: number): void {
    const k = key(site, article);
    const old = state.counts.get(k) ?? 0;
    if (old === readers) return;
    if (readers === 0) state.counts.delete(k);
    else state.counts.set(k, readers);
    add(site, article, readers - old);
  }

  function clear(state: NodeState, keep: ReadonlySet<string> = new Set()): void {
    for (const k of [...state.counts.keys()]) {
      if (keep.has(k)) continue;
      const [site, article] = k.split('\n') as [string, string];
      set(state, site, article, 0);
    }
  }

  return {
    of: (site, article) => sums.get(site)?.get(article) ?? 0,
    ofSite: (site) => sums.get(site) ?? [],
    apply(message) {
      if (message.node === self) return;
      let state = nodes.get(message.node);
      if (state === undefined) nodes.set(message.node, (state = { heardAt: now(), counts: new Map() }));
      state.heardAt = now();
      // A snapshot replaces what the node had: anything it leaves out has no readers there.
      if (message.full) clear(state, new Set(message.readers.map(([site, article]) => key(site, article))));
      for (const [site, article, readers] of message.readers) set(state, site, article, readers);
    },
    expire() {
      const before = now() - staleMs;
      for (const [node, state] of nodes) {
        if (state.heardAt >= before) continue;
        clear(state);
        nodes.delete(node);
      }
    },
    nodes: () => [...nodes.keys()],
  };
}
