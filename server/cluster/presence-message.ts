/** One article's readers on the node that sent the message. */
export type ReaderCount = [site: string, article: string, readers: number];

/**
 * A node's presence message on the presence channel. `full`: the node's every article with
 * readers (any article left out has none there); otherwise only the articles that changed
 * since its last message (0 = nobody reads it there any more). `hello`: a node (re)joined and
 * asks every other node for a full snapshot.
 */
export interface PresenceMessage {
  node: string;
  full: boolean;
  hello: boolean;
  readers: ReaderCount[];
}

/** The message as it goes on the channel. */
export function encodePresence(message: PresenceMessage): string {
  return JSON.stringify(message);
}

const isCount = (entry: unknown): entry is ReaderCount =>
  Array.isArray(entry) && entry.length === 3 && typeof entry[0] === 'string' && typeof entry[1] === 'string' && Number.isSafeInteger(entry[2]) && (entry[2] as number) >= 0;

/** Reads a presence payload; undefined for anything else (a message of another version, say). */
export function parsePresence(payload: string): PresenceMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { node, full, hello, readers } = value as Record<string, unknown>;
  if (typeof node !== 'string' || typeof full !== 'boolean' || typeof hello !== 'boolean' || !Array.isArray(readers) || !readers.every(isCount)) return undefined;
  return { node, full, hello, readers };
}
