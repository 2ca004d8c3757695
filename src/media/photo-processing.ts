/**
 * Turns an uploaded photo into the files we serve. The bytes decide the format (never the name or
 * the Content-Type); the pixel count is read from the header before anything is decoded, so a
 * decompression bomb costs nothing. The pixels are rotated upright, converted to sRGB and decoded
 * to raw, and every variant is encoded from those raw pixels: camera metadata (EXIF, GPS, XMP, IPTC,
 * comments, the colour profile) has no way into the output, which must not reveal where a reporter stood.
 */
import { createHash } from 'node:crypto';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { appError } from '../errors.ts';
import { MEDIA_ID_LENGTH, MEDIA_TYPES, mediaFileName, type MediaExtension, type MediaType } from './media-record.ts';

/** A decompression-bomb guard: more pixels than any newsroom photo needs. */
export const MAX_INPUT_PIXELS = 50_000_000;
export const VARIANT_WIDTHS = [480, 960, 1600] as const;
const WIDEST = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!;

export type PhotoFormat = 'jpeg' | 'png' | 'webp' | 'avif';

export interface PhotoFile {
  name: string;
  bytes: Buffer;
  type: MediaType;
  width: number;
  height: number;
}

export interface ProcessedPhoto {
  id: string;
  files: PhotoFile[];
}

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.subarray(start, end).toString('latin1');
}

/** The format the first bytes announce, or null: SVG, HTML, scripts and GIFs never reach the decoder. */
export function sniffPhotoFormat(bytes: Buffer): PhotoFormat | null {
  if (bytes.length < 16) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const boxEnd = Math.min(bytes.readUInt32BE(0), bytes.length, 64);
    for (let offset = 8; offset + 4 <= boxEnd; offset += 4) {
      if (['avif', 'avis'].includes(ascii(bytes, offset, offset + 4))) return 'avif';
    }
  }
  return null;
}

/** The widths to produce: the standard ones below the photo's width, and its own width capped. */
export function variantWidths(width: number): number[] {
  const cap = Math.min(width, WIDEST);
  return [...VARIANT_WIDTHS.filter((w) => w < cap), cap];
}

async function checkHeader(bytes: Buffer, format: PhotoFormat): Promise<void> {
  let info: Metadata;
  try {
    info = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw appError('MEDIA_UNSUPPORTED', 'The file is not a readable JPEG, PNG, WebP or AVIF image');
  }
  const expected = format === 'avif' ? 'heif' : format;
  if (info.format !== expected || !info.width || !info.height) throw appError('MEDIA_UNSUPPORTED');
  if (info.width * info.height > MAX_INPUT_PIXELS)
    throw appError('MEDIA_TOO_LARGE', `The photo has more than ${MAX_INPUT_PIXELS / 1_000_000} megapixels`);
}

/** Upright sRGB pixels no wider than the widest variant, with nothing of the file's metadata. */
async function decodeUpright(bytes: Buffer) {
  try {
    return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' })
      .autoOrient()
      .resize({ width: WIDEST, withoutEnlargement: true })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw appError('MEDIA_TOO_LARGE');
    throw appError('MEDIA_UNSUPPORTED', 'The image could not be decoded (truncated or damaged)');
  }
}

type RawPixels = Awaited<ReturnType<typeof decodeUpright>>;

async function encode(pipeline: Sharp, extension: MediaExtension, id: string, width: number): Promise<PhotoFile> {
  const encoded =
    extension === 'webp'
      ? pipeline.webp({ quality: 80 })
      : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 82, mozjpeg: true });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return {
    name: mediaFileName(id, width, extension),
    bytes: data,
    type: MEDIA_TYPES[extension],
    width: info.width,
    height: info.height,
  };
}

function variantsOf(raw: RawPixels, id: string): Promise<PhotoFile>[] {
  const { width, height, channels } = raw.info;
  const resized = (w: number) => sharp(raw.data, { raw: { width, height, channels } }).resize({ width: w });
  return variantWidths(width).flatMap((w) => [encode(resized(w), 'webp', id, w), encode(resized(w), 'jpg', id, w)]);
}

/** The content-hash id of an upload: the same bytes always get the same id, hence the same URLs. */
export function photoId(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, MEDIA_ID_LENGTH);
}

/** Checks and converts an upload; throws MEDIA_UNSUPPORTED or MEDIA_TOO_LARGE and writes nothing. */
export async function processPhoto(bytes: Buffer): Promise<ProcessedPhoto> {
  const format = sniffPhotoFormat(bytes);
  if (!format) throw appError('MEDIA_UNSUPPORTED');
  await checkHeader(bytes, format);
  const raw = await decodeUpright(bytes);
  const id = photoId(bytes);
  return { id, files: await Promise.all(variantsOf(raw, id)) };
}
