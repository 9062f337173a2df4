/** Reads an async iterable to the end into an array (Array.fromAsync arrived in Node 22). */
export async function readAll<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}
