/** Test photos made with sharp: a camera JPEG carrying GPS EXIF and XMP, a decompression bomb, an upload helper. */
import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import type { JsonResponse } from './stack.ts';

/** Strings planted in the camera metadata; none may survive into a served file. */
export const CAMERA_MARKERS = ['SecretCam', 'WGS-84', 'xmp-secret-place', 'Exif\0\0', 'http://ns.adobe.com/xap'];

const XMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Label="xmp-secret-place"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

/** A JPEG as a phone writes it: GPS position, camera make, XMP, and an EXIF orientation. */
export async function cameraJpeg(width: number, height: number, orientation = 1): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c0392b' } })
    .composite([
      {
        input: { create: { width: Math.ceil(width / 2), height, channels: 3, background: '#2980b9' } },
        left: 0,
        top: 0,
      },
    ])
    .jpeg()
    .withExif({
      IFD0: { Make: 'SecretCam', Model: 'SecretCam 9' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '50/1 27/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '30/1 31/1 0/1',
        GPSMapDatum: 'WGS-84',
      },
    })
    .withXmp(XMP)
    .withMetadata({ orientation })
    .toBuffer();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A tiny PNG whose header claims width × height pixels: a decompression bomb in a few bytes. */
export function bombPng(width = 10_000, height = 10_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface UploadFields {
  alt?: string;
  caption?: string;
  credit?: string;
}

/** POST /api/media as a browser form would send it. */
export async function uploadPhoto(
  base: string,
  token: string | null,
  file: { bytes: Buffer; name: string; type: string },
  fields: UploadFields = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const response = await fetch(`${base}/api/media`, { method: 'POST', headers, body: form });
  const body = (await response.json()) as JsonResponse['body'];
  return { status: response.status, body, headers: response.headers };
}

/** The files in a media folder (empty when it was never created). */
export function mediaFiles(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
