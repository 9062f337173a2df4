import { readGa4 } from './ga4.js';
import { readGoatCounter } from './goatcounter.js';
import { readPlausible } from './plausible.js';
import { readReadcounter } from './readcounter.js';
import { readShynet } from './shynet.js';
import type { Tally } from './tally.js';
import { readUmami } from './umami.js';

/** One `--from` format: how to read its files into a Tally, and how the summary names it. */
export interface ImportFormat {
  /** The tool, as messages name it ("GoatCounter"). */
  tool: string;
  /** What the file is, as errors name it ("a GoatCounter export"). */
  what: string;
  /** The file never names the site: `--site` is required. */
  needsSite: boolean;
  /** Its figures are page views counted by another tool (not readcounter's own reads). */
  pageViews: boolean;
  /** A caveat the summary repeats. */
  note?: string;
  /** Streams the file into the tally. Throws ExportFormatError naming the line. */
  read(path: string, tally: Tally): Promise<void>;
}

/** The formats of `readcounter import --from`, by name; the first is the default. */
export const IMPORT_FORMATS = {
  readcounter: { tool: 'readcounter', what: 'a readcounter export', needsSite: false, pageViews: false, read: readReadcounter },
  goatcounter: { tool: 'GoatCounter', what: 'a GoatCounter export', needsSite: true, pageViews: true, read: readGoatCounter },
  plausible: {
    tool: 'Plausible',
    what: 'a Plausible CSV export',
    needsSite: false,
    pageViews: true,
    note: "Plausible's dates are days in the site's time zone (set in Plausible); they are stored as they are, as UTC days.",
    read: readPlausible,
  },
  umami: { tool: 'Umami', what: "Umami's website_event table as CSV", needsSite: false, pageViews: true, read: readUmami },
  shynet: { tool: 'Shynet', what: 'a Shynet day,location,views CSV', needsSite: false, pageViews: true, read: readShynet },
  ga4: {
    tool: 'Google Analytics',
    what: 'a Google Analytics 4 CSV',
    needsSite: true,
    pageViews: true,
    note: "Google Analytics dates are days in the property's time zone; they are stored as they are, as UTC days.",
    read: readGa4,
  },
} satisfies Record<string, ImportFormat>;

/** A `--from` value. */
export type ImportFormatName = keyof typeof IMPORT_FORMATS;

/** True for a known `--from` value. */
export function isImportFormat(name: string): name is ImportFormatName {
  return Object.hasOwn(IMPORT_FORMATS, name);
}
