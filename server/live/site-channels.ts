import { wireFrame } from './frame.js';
import type { Broadcaster } from './broadcast.js';
import { createPresenceCadence, type PresenceOptions } from './presence.js';
import { newTopic, type Peer, type Topic } from './topics.js';

/** What a site channel's frame says, rebuilt when the channel is due (latest state wins). */
export type RenderSite = () => string;

/**
 * Frames about a whole site (the dashboard's `site` and `feed`), on the hub's one scheduler and
 * under its one back-pressure rule. A channel is a topic of its own, with an empty article and
 * its own render; its peers are the admin sockets watching the site.
 */
export interface SiteChannels {
  /** Puts a peer on a site's channel and sends it the site's state now; the first watcher's `render` frames it. */
  watch(peer: Peer, site: string, render: RenderSite): void;
  /** Takes a peer off its channel; returns the site when the peer was its last watcher. */
  unwatch(peer: Peer): string | undefined;
  /** The site's figures changed: every watcher is sent the new state (coalesced, latest wins). */
  changed(site: string): void;
  /** `live` of one of the site's articles changed: sent on the presence cadence. O(1). */
  liveChanged(site: string): void;
  /** Hands one frame to every watcher of the site now: an event, which a lagging socket misses. */
  send(site: string, json: string): void;
  /** Sites with at least one watcher. */
  sites(): IterableIterator<string>;
  close(): void;
}

/** Options for createSiteChannels(): the hub's scheduler, and its presence cadence settings. */
export interface SiteChannelsOptions {
  broadcast: Pick<Broadcaster, 'changed' | 'forget' | 'sendNow'>;
  presence: Partial<Pick<PresenceOptions<Topic>, 'quietMs' | 'minWaitMs' | 'maxWaitMs' | 'msPerPage'>> & { now: () => number };
}

interface Channel extends Topic {
  readonly render: RenderSite;
}

/** Creates the site channels of one hub. */
export function createSiteChannels({ broadcast, presence: presenceOptions }: SiteChannelsOptions): SiteChannels {
  // Long only as a factory: small methods closing over the state above, none over ~40 lines.
  const channels = new Map<string, Channel>();
  const siteOf = new Map<Peer, string>();
  // A dashboard is one socket per admin: the cadence's wait does not grow with its peers.
  const presence = createPresenceCadence<Channel>({ ...presenceOptions, size: () => 0, due: liveDue });

  function liveDue(channel: Channel): void {
    if (channels.get(channel.site) !== channel) return;
    // The pages' own presence changes often leave the site's figures as they were.
    if (channel.frame !== undefined && channel.frame.payload.toString() === channel.render()) return;
    broadcast.changed(channel);
  }

  function unwatch(peer: Peer): string | undefined {
    const site = siteOf.get(peer);
    if (site === undefined) return undefined;
    siteOf.delete(peer);
    const channel = channels.get(site)!;
    channel.peers.delete(peer);
    if (channel.peers.size > 0) return undefined;
    channels.delete(site);
    broadcast.forget(channel);
    presence.forget(channel);
    return site;
  }

  return {
    watch(peer, site, render) {
      unwatch(peer);
      let channel = channels.get(site);
      if (channel === undefined) channels.set(site, (channel = { ...newTopic(site, '', 0), render }));
      siteOf.set(peer, site);
      // The state now, which a pending pass or presence change may not have sent yet.
      const exact = wireFrame(channel.render());
      channel.peers.set(peer, channel.version);
      if (peer.sendWire !== undefined) peer.sendWire(exact.wire);
      else peer.send(exact.payload);
    },
    unwatch,
    changed(site) {
      const channel = channels.get(site);
      if (channel !== undefined) broadcast.changed(channel);
    },
    liveChanged(site) {
      const channel = channels.get(site);
      if (channel !== undefined) presence.changed(channel);
    },
    send(site, json) {
      const channel = channels.get(site);
      if (channel !== undefined) broadcast.sendNow(channel, wireFrame(json));
    },
    sites: () => channels.keys(),
    close() {
      presence.close();
      channels.clear();
      siteOf.clear();
    },
  };
}
