/**
 * POST /api/media: an editor uploads a photo (multipart/form-data: `file`, optional `alt`,
 * `caption`, `credit`). Multipart is registered in this plugin's scope only, with limits that stop
 * an oversized upload while it streams in. Nothing is stored until every variant is made, so a
 * refused upload leaves the media folder and Redis as they were.
 */
import multipart, { type MultipartFile, type MultipartValue } from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { appError, isAppError } from '../../errors.ts';
import type { MediaCatalogue } from '../../media/media-catalogue.ts';
import { MEDIA_PATH, type MediaRecord } from '../../media/media-record.ts';
import type { MediaStorage } from '../../media/media-storage.ts';
import { processPhoto, type ProcessedPhoto } from '../../media/photo-processing.ts';
import { errorResponses } from '../schemas.ts';

export interface MediaUploadDeps {
  storage: MediaStorage;
  catalogue: MediaCatalogue;
  /** MEDIA_MAX_BYTES: the largest file accepted. */
  maxBytes: number;
}

const TEXT_LIMITS = { alt: 1000, caption: 1000, credit: 200 } as const;
type TextField = keyof typeof TEXT_LIMITS;
/** Room for the multipart boundaries, part headers and the text fields around the file. */
const ENVELOPE_BYTES = 64 * 1024;

const Variant = Type.Object({
  url: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  type: Type.String(),
});
const MediaResponse = Type.Object({
  id: Type.String(),
  url: Type.String({ description: 'The widest JPEG; name it in Markdown as ![alt text](url)' }),
  width: Type.Integer(),
  height: Type.Integer(),
  type: Type.String(),
  alt: Type.String(),
  caption: Type.String(),
  credit: Type.String(),
  variants: Type.Array(Variant),
});

interface Upload {
  bytes: Buffer | null;
  text: Record<TextField, string>;
}

const MULTIPART_ERRORS: Record<string, () => Error> = {
  FST_REQ_FILE_TOO_LARGE: () => appError('MEDIA_TOO_LARGE'),
  FST_INVALID_MULTIPART_CONTENT_TYPE: () =>
    appError('MEDIA_UNSUPPORTED', 'Send multipart/form-data with the photo in the field "file"'),
  FST_FILES_LIMIT: () => appError('BAD_REQUEST', 'Send one photo per request'),
  FST_PARTS_LIMIT: () => appError('BAD_REQUEST', 'Too many form fields'),
  FST_FIELDS_LIMIT: () => appError('BAD_REQUEST', 'Too many form fields'),
};

function textField(part: MultipartValue, upload: Upload): void {
  const name = part.fieldname as TextField;
  if (!(name in TEXT_LIMITS)) throw appError('VALIDATION_FAILED', `Unknown form field "${part.fieldname}"`);
  const value = String(part.value).trim();
  if (part.valueTruncated || value.length > TEXT_LIMITS[name])
    throw appError('VALIDATION_FAILED', `"${name}" is longer than ${TEXT_LIMITS[name]} characters`);
  upload.text[name] = value;
}

async function filePart(part: MultipartFile, upload: Upload): Promise<void> {
  if (part.fieldname !== 'file') throw appError('VALIDATION_FAILED', 'Send the photo in the field "file"');
  upload.bytes = await part.toBuffer();
}

async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  // A declared length beyond the limit is refused before a byte of it is read.
  if (Number(request.headers['content-length'] ?? 0) > maxBytes + ENVELOPE_BYTES) throw appError('MEDIA_TOO_LARGE');
  const upload: Upload = { bytes: null, text: { alt: '', caption: '', credit: '' } };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') await filePart(part, upload);
      else textField(part, upload);
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    const mapped = MULTIPART_ERRORS[(error as { code?: string }).code ?? ''];
    throw mapped ? mapped() : error;
  }
  return upload;
}

function recordOf(photo: ProcessedPhoto, text: Upload['text']): MediaRecord {
  const variants = photo.files.map((file) => ({
    url: `${MEDIA_PATH}${file.name}`,
    width: file.width,
    height: file.height,
    type: file.type,
  }));
  const widest = variants.filter((v) => v.type === 'image/jpeg').sort((a, b) => b.width - a.width)[0]!;
  return { id: photo.id, ...widest, ...text, variants };
}

export const mediaUploadRoutes: FastifyPluginAsyncTypebox<MediaUploadDeps> = async (app, deps) => {
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: deps.maxBytes, files: 1, fields: 3, parts: 4, fieldSize: 4096, headerPairs: 50 },
  });

  app.post(
    '/media',
    {
      onRequest: [app.requireAccount, app.limitWrites],
      schema: {
        tags: ['editor'],
        summary: 'Upload a photo (multipart/form-data: file, optional alt, caption, credit)',
        description:
          'JPEG, PNG, WebP or AVIF, judged by its bytes. Stored without any camera metadata, upright, ' +
          'in WebP and JPEG variants named by content hash.',
        security: [{ bearer: [] }],
        consumes: ['multipart/form-data'],
        response: { 201: MediaResponse, ...errorResponses(400, 401, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const upload = await readUpload(request, deps.maxBytes);
      if (!upload.bytes) throw appError('VALIDATION_FAILED', 'Send the photo in the field "file"');
      const photo = await processPhoto(upload.bytes);
      for (const file of photo.files) await deps.storage.put(file.name, file.bytes, file.type);
      const record = recordOf(photo, upload.text);
      await deps.catalogue.save(record);
      return reply.status(201).send(record);
    },
  );
};
