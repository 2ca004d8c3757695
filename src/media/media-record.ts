/**
 * What an uploaded photo is once stored: its metadata record and the names of its files. Files are
 * named by the content hash of the upload plus the width (`/media/<hash>-<width>.<ext>`), so a URL
 * never changes meaning and can be cached forever, and the record's id is read back from any URL.
 */
export interface MediaVariant {
  url: string;
  width: number;
  height: number;
  type: MediaType;
}

export interface MediaRecord {
  id: string;
  /** The widest JPEG: what the editor's Markdown names and what a plain <img> falls back to. */
  url: string;
  width: number;
  height: number;
  type: MediaType;
  alt: string;
  caption: string;
  credit: string;
  variants: MediaVariant[];
}

/** Looks up a photo of ours by any of its URLs (the renderer gets one with the records it needs). */
export type MediaLookup = (url: string) => MediaRecord | undefined;

export const MEDIA_TYPES = { webp: 'image/webp', jpg: 'image/jpeg' } as const;
export type MediaExtension = keyof typeof MEDIA_TYPES;
export type MediaType = (typeof MEDIA_TYPES)[MediaExtension];

/** Hex characters of the sha256 kept in ids and file names: 96 bits, no collisions in practice. */
export const MEDIA_ID_LENGTH = 24;
export const MEDIA_PATH = '/media/';

const FILE_NAME = new RegExp(`^([0-9a-f]{${MEDIA_ID_LENGTH}})-([1-9][0-9]{0,4})\\.(webp|jpg)$`);
/** A media URL anywhere in Markdown text (the renderer loads the records of these ids first). */
export const MEDIA_URL_IN_TEXT = new RegExp(
  `${MEDIA_PATH}([0-9a-f]{${MEDIA_ID_LENGTH}})-[1-9][0-9]{0,4}\\.(?:webp|jpg)`,
  'g',
);

export function mediaFileName(id: string, width: number, extension: MediaExtension): string {
  return `${id}-${width}.${extension}`;
}

export interface ParsedMediaName {
  id: string;
  width: number;
  extension: MediaExtension;
  type: MediaType;
}

/** A stored file's name taken apart, or null for anything that is not one (the route's 404). */
export function parseMediaFileName(name: string): ParsedMediaName | null {
  const match = FILE_NAME.exec(name);
  if (!match) return null;
  const extension = match[3] as MediaExtension;
  return { id: match[1]!, width: Number(match[2]), extension, type: MEDIA_TYPES[extension] };
}

/** The record id behind one of our media URLs (site-relative, as the dashboard inserts them), or null. */
export function mediaIdOfUrl(url: string): string | null {
  if (!url.startsWith(MEDIA_PATH)) return null;
  return parseMediaFileName(url.slice(MEDIA_PATH.length))?.id ?? null;
}

/** The distinct media ids a Markdown text names. */
export function mediaIdsIn(text: string): string[] {
  return [...new Set([...text.matchAll(MEDIA_URL_IN_TEXT)].map((match) => match[1]!))];
}
