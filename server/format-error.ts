/** A file to import that cannot be read; the message names the line or field and what is expected. */
export class ExportFormatError extends Error {
  override name = 'ExportFormatError';
}
