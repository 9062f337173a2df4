import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import type { Store } from '../store/port.js';
import { ApiError } from '../http/errors.js';
import { articleQuery, siteQuery } from '../http/params.js';

/** Named colors, as shields.io spells them. */
export const BADGE_COLORS: Readonly<Record<string, string>> = {
  brightgreen: '#4c1', green: '#97ca00', yellowgreen: '#a4a61d', yellow: '#dfb317', orange: '#fe7d37', red: '#e05d44',
  blue: '#007ec6', lightgrey: '#9f9f9f', lightgray: '#9f9f9f', grey: '#555', gray: '#555', blueviolet: '#8a2be2',
  success: '#4c1', important: '#fe7d37', critical: '#e05d44', informational: '#007ec6', inactive: '#9f9f9f',
};

/** Longest label accepted, in characters. */
export const MAX_LABEL_LENGTH = 64;

// Browsers and GitHub's image proxy may keep the badge this long; a read shows within a minute.
const CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=60';

/** GET /badge.svg?site=&article=&label=&color= — public, CORS open, short cache and ETag. */
export function badgeRoutes(store: Pick<Store, 'reads' | 'siteTotal'>): Hono {
  const app = new Hono();
  app.use('/badge.svg', cors({ origin: '*', allowMethods: ['GET'] }), etag());
  app.get('/badge.svg', async (c) => {
    const site = siteQuery(c);
    if (site === undefined) throw new ApiError(400, 'bad_site', 'the "site" query parameter is required, e.g. site=example.com');
    const article = articleQuery(c);
    const label = badgeLabel(c.req.query('label'));
    const color = badgeColor(c.req.query('color'));
    // The site-wide figure is kept as a running total: one lookup however many articles.
    const reads = article === undefined ? (await store.siteTotal(site)).reads : await store.reads(site, article);
    c.header('Cache-Control', CACHE_CONTROL);
    // Opened on its own, the SVG is a document: no script may run in it even if escaping failed.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(renderBadge(label, reads.toLocaleString('en-US'), color), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
  });
  return app;
}

/** A flat, shields-style badge: a grey label and a colored value, both XML-escaped. */
export function renderBadge(label: string, value: string, color: string): string {
  const pad = 6;
  const lw = label === '' ? 0 : textWidth(label) + 2 * pad;
  const vw = textWidth(value) + 2 * pad;
  const w = lw + vw;
  const title = escapeXml(label === '' ? value : `${label}: ${value}`);
  const text = (s: string, x: number) =>
    `<text x="${x * 10}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${(textWidth(s)) * 10}">${escapeXml(s)}</text>` +
    `<text x="${x * 10}" y="140" transform="scale(.1)" textLength="${textWidth(s) * 10}">${escapeXml(s)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}"><title>${title}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">` +
    (label === '' ? '' : text(label, lw / 2)) +
    text(value, lw + vw / 2) +
    `</g></svg>`
  );
}

/** The `label` query: default "reads", control characters dropped, at most MAX_LABEL_LENGTH characters. */
export function badgeLabel(value: string | undefined): string {
  if (value === undefined) return 'reads';
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  if ([...clean].length > MAX_LABEL_LENGTH) throw new ApiError(400, 'bad_label', `label must be at most ${MAX_LABEL_LENGTH} characters`);
  return clean;
}

/** The `color` query: a shields name or a 3/6-digit hex (with or without `#`), else a 400. */
export function badgeColor(value: string | undefined): string {
  if (value === undefined || value === '') return BADGE_COLORS.blue!;
  const named = BADGE_COLORS[value.toLowerCase()];
  if (named !== undefined && Object.hasOwn(BADGE_COLORS, value.toLowerCase())) return named;
  const hex = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value);
  if (hex !== null) return `#${hex[1]!.toLowerCase()}`;
  throw new ApiError(400, 'bad_color', `color must be a hex color such as 4c1 or #007ec6, or one of ${Object.keys(BADGE_COLORS).join(', ')}`);
}

/** Escapes the five XML special characters. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// Verdana 11px advance widths (as shields measures them) for printable ASCII from " " (32);
// anything else is taken as a wide glyph.
const WIDTHS = [
  3.9, 4.7, 5.5, 9.1, 7, 12.3, 8, 2.7, 5, 5, 7, 9.1, 4, 5, 4, 5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 5, 5, 9.1, 9.1, 9.1, 6.1,
  11, 7.5, 7.6, 7.7, 8.5, 7, 6.3, 8.5, 8.3, 4.6, 5, 7.6, 6.1, 9.3, 8.2, 8.7, 6.6, 8.7, 7.7, 7.5, 6.8, 8.1, 7.5, 11.1, 7.6, 6.8, 7.6,
  5, 5, 5, 9.1, 7, 7, 6.6, 6.8, 5.7, 6.8, 6.6, 3.9, 6.8, 7, 3, 3.8, 6.5, 3, 10.7, 7, 6.6, 6.8, 6.8, 4.7, 5.7, 4.3, 7, 6.5, 9, 6.5, 6.5, 5.8,
  7, 5, 7, 9.1,
];

function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDTHS[(ch.codePointAt(0) ?? 0) - 32] ?? 11;
  return Math.round(width);
}
