import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { ExportFormatError } from '../format-error.js';

/** How a file to import is packed, told by its first bytes, never by its name. */
export type Packing = 'text' | 'gzip' | 'zip';

/** Looks at the magic bytes: `1f 8b` is gzip, `PK\3\4` (or an empty zip's `PK\5\6`) is zip. */
export async function packingOf(path: string): Promise<Packing> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await file.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (bytesRead === 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
    if (bytesRead === 4 && head.readUInt32LE(0) === 0x06054b50) return 'zip';
    return 'text';
  } finally {
    await file.close();
  }
}

/** The text of a plain or gzipped file, as UTF-8 chunks streamed from disk. */
export async function textOf(path: string): Promise<AsyncIterable<string>> {
  const packing = await packingOf(path);
  if (packing === 'zip') throw new ExportFormatError('line 1: this is a zip archive; this format is a CSV file (unzip it first)');
  const raw = createReadStream(path);
  const stream = packing === 'gzip' ? raw.pipe(createGunzip()) : raw;
  if (packing === 'gzip') raw.on('error', (error) => stream.destroy(error));
  return decoded(stream);
}

/** Lines of a text (LF or CRLF), numbered from 1, for JSON-lines files. */
export async function* linesOf(chunks: AsyncIterable<string>): AsyncGenerator<{ line: number; text: string }> {
  let rest = '';
  let line = 0;
  for await (const chunk of chunks) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const part of parts) yield { line: ++line, text: part.replace(/\r$/, '') };
  }
  if (rest !== '') yield { line: ++line, text: rest };
}

/** A zip archive open for reading its entries one at a time (yauzl reads the central directory). */
export interface ZipArchive {
  /** Every file name in the archive, folders included, as stored. */
  readonly names: string[];
  /** The text of one entry, as UTF-8 chunks. */
  text(name: string): AsyncIterable<string>;
  close(): void;
}

/** Opens a zip; an archive that cannot be read is an ExportFormatError. */
export async function openZip(path: string): Promise<ZipArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, file) => (error ? reject(error) : resolve(file))),
    );
  } catch (error) {
    throw new ExportFormatError(`the zip archive cannot be read: ${(error as Error).message} (is it cut off?)`);
  }
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', resolve);
    zip.once('error', (error: Error) => reject(new ExportFormatError(`the zip archive cannot be read: ${error.message}`)));
    zip.readEntry();
  });
  return {
    names: [...entries.keys()],
    async *text(name) {
      const entry = entries.get(name);
      if (entry === undefined) throw new ExportFormatError(`the zip archive has no ${name}`);
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (error, readable) => (error ? reject(error) : resolve(readable))),
      );
      try {
        yield* decoded(stream);
      } catch (error) {
        throw new ExportFormatError(`${name} in the zip cannot be read: ${(error as Error).message}`);
      }
    },
    close: () => zip.close(),
  };
}

// setEncoding keeps a character split across two chunks whole.
function decoded(stream: Readable): AsyncIterable<string> {
  stream.setEncoding('utf8');
  return stream as AsyncIterable<string>;
}
