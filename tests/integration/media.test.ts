/**
 * Photo uploads over real HTTP, with real sharp and Redis: camera metadata never reaches a served
 * byte, orientation is applied, variants stay within the original, names follow the content, and
 * every kind of bad upload is refused with its code while the media folder and Redis stay as they were.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomUtils, parseDocument } from 'htmlparser2';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bombPng, CAMERA_MARKERS, cameraJpeg, mediaFiles, uploadPhoto } from '../helpers/photos.ts';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

const MAX_BYTES = 1024 * 1024;
let stack: Stack;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sp-media-'));
  stack = await startStack({
    env: { MEDIA_DIR: dir, MEDIA_MAX_BYTES: String(MAX_BYTES), PUBLIC_URL: 'https://news.example' },
  });
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

const jpegFile = (bytes: Buffer, name = 'photo.jpg') => ({ bytes, name, type: 'image/jpeg' });
const upload = (file: { bytes: Buffer; name: string; type: string }, fields = {}) =>
  uploadPhoto(stack.urls[0]!, stack.token, file, fields);

async function served(url: string) {
  const response = await fetch(`${stack.urls[0]}${url}`);
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('POST /api/media: a camera JPEG', () => {
  it('comes out of every served variant without EXIF, GPS, XMP, IPTC or a colour profile', async () => {
    const original = await cameraJpeg(2400, 1600);
    const input = await sharp(original).metadata();
    // The test photo really carries what must disappear: a GPS IFD pointer (tag 0x8825) and XMP.
    expect(input.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    expect(input.xmp).toBeDefined();
    for (const marker of CAMERA_MARKERS) expect(original.includes(marker), marker).toBe(true);

    const { status, body } = await upload(jpegFile(original), {
      alt: 'Smoke over the bridge',
      caption: 'The bridge at dawn',
      credit: 'Photo: A. Reporter',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ width: 1600, height: 1067, type: 'image/jpeg', alt: 'Smoke over the bridge' });
    expect(body.url).toBe(`/media/${body.id}-1600.jpg`);
    const widths = body.variants.map((v: { width: number; type: string }) => `${v.type} ${v.width}`).sort();
    expect(widths).toEqual([
      'image/jpeg 1600',
      'image/jpeg 480',
      'image/jpeg 960',
      'image/webp 1600',
      'image/webp 480',
      'image/webp 960',
    ]);
    for (const variant of body.variants) {
      const { response, bytes } = await served(variant.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(variant.type);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const meta = await sharp(bytes).metadata();
      expect([meta.exif, meta.xmp, meta.iptc, meta.icc, meta.comments], variant.url).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect(meta.orientation ?? 1).toBe(1);
      expect({ width: meta.width, height: meta.height }).toEqual({ width: variant.width, height: variant.height });
      for (const marker of [...CAMERA_MARKERS, 'Photoshop 3.0', 'ICC_PROFILE', 'GPS'])
        expect(bytes.includes(marker), `${marker} in ${variant.url}`).toBe(false);
    }
    const stored = JSON.parse((await stack.redis.get(`${stack.config.keyPrefix}media:${body.id}`))!);
    expect(stored).toEqual(body);
  });

  it('names files by content: the same bytes get the same URLs', async () => {
    const original = await cameraJpeg(700, 500);
    const first = await upload(jpegFile(original, 'a.jpg'));
    const second = await upload(jpegFile(original, 'b.jpg'));
    expect(second.body.url).toBe(first.body.url);
    expect(second.body.id).toBe(first.body.id);
    const other = await upload(jpegFile(await cameraJpeg(701, 500)));
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('applies the EXIF orientation to the pixels and never makes a variant wider than the original', async () => {
    // 300 × 200, left half blue; orientation 6 means "rotate 90° clockwise to view": the blue half ends on top.
    const { status, body } = await upload(jpegFile(await cameraJpeg(300, 200, 6)));
    expect(status).toBe(201);
    expect({ width: body.width, height: body.height }).toEqual({ width: 200, height: 300 });
    expect(body.variants.map((v: { width: number }) => v.width)).toEqual([200, 200]);
    const { bytes } = await served(body.url);
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    const [topRed, , topBlue] = pixel(100, 20);
    const [bottomRed, , bottomBlue] = pixel(100, 280);
    expect(topBlue!).toBeGreaterThan(topRed!);
    expect(bottomRed!).toBeGreaterThan(bottomBlue!);
  });

  it('accepts PNG, WebP and AVIF by their bytes, whatever the name says', async () => {
    const base = sharp({ create: { width: 640, height: 360, channels: 4, background: '#33669980' } });
    for (const bytes of [
      await base.clone().png().toBuffer(),
      await base.clone().webp().toBuffer(),
      await base.clone().avif().toBuffer(),
    ]) {
      const { status, body } = await upload({ bytes, name: 'upload.bin', type: 'application/octet-stream' });
      expect(status).toBe(201);
      expect(body.variants.map((v: { width: number }) => v.width).sort()).toEqual([480, 480, 640, 640]);
    }
  });
});

describe('POST /api/media refuses bad uploads and stores nothing', () => {
  const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
  const cases: [string, () => Promise<{ bytes: Buffer; name: string; type: string }>, number, string][] = [
    ['a file over MEDIA_MAX_BYTES', async () => jpegFile(Buffer.alloc(MAX_BYTES * 3, 0xff)), 413, 'MEDIA_TOO_LARGE'],
    [
      'a file just over MEDIA_MAX_BYTES (stopped while streaming)',
      async () => jpegFile(Buffer.concat([await cameraJpeg(64, 64), Buffer.alloc(MAX_BYTES, 0)])),
      413,
      'MEDIA_TOO_LARGE',
    ],
    [
      'a PNG claiming 10000 × 10000 pixels',
      async () => ({ bytes: bombPng(), name: 'bomb.png', type: 'image/png' }),
      413,
      'MEDIA_TOO_LARGE',
    ],
    [
      'an SVG',
      async () => ({
        bytes: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>',
        ),
        name: 'x.svg',
        type: 'image/svg+xml',
      }),
      415,
      'MEDIA_UNSUPPORTED',
    ],
    ['HTML named .jpg sent as image/jpeg', async () => jpegFile(html, 'photo.jpg'), 415, 'MEDIA_UNSUPPORTED'],
    [
      'a script',
      async () => ({ bytes: Buffer.from('#!/bin/sh\nrm -rf /\n'.repeat(4)), name: 'x.sh', type: 'image/jpeg' }),
      415,
      'MEDIA_UNSUPPORTED',
    ],
    [
      'a truncated JPEG',
      async () => {
        const whole = await cameraJpeg(800, 600);
        return jpegFile(whole.subarray(0, Math.floor(whole.length / 2)));
      },
      415,
      'MEDIA_UNSUPPORTED',
    ],
    [
      'a GIF',
      async () => ({
        bytes: await sharp({ create: { width: 20, height: 20, channels: 3, background: '#000' } })
          .gif()
          .toBuffer(),
        name: 'x.gif',
        type: 'image/gif',
      }),
      415,
      'MEDIA_UNSUPPORTED',
    ],
  ];

  async function snapshot() {
    return { files: mediaFiles(dir), keys: (await stack.redis.keys(`${stack.config.keyPrefix}media:*`)).sort() };
  }

  it.each(cases)('%s', async (_name, make, status, code) => {
    const file = await make();
    const before = await snapshot();
    const response = await upload(file, { alt: 'x' });
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(await snapshot()).toEqual(before);
  });

  it('an upload without a token', async () => {
    const before = await snapshot();
    const response = await uploadPhoto(stack.urls[0]!, null, jpegFile(await cameraJpeg(100, 100)));
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHORIZED');
    expect(await snapshot()).toEqual(before);
  });

  it('a contributor may upload (a photo for a submission); a revoked token may not', async () => {
    const editors = createEditorStore(stack.redis, createKeys(stack.config.keyPrefix));
    const { token } = await editors.add('media-contributor', 'contributor');
    const accepted = await uploadPhoto(stack.urls[0]!, token, jpegFile(await cameraJpeg(64, 48)), { alt: 'A street' });
    expect(accepted.status).toBe(201);
    await editors.revoke('media-contributor');
    const refused = await uploadPhoto(stack.urls[0]!, token, jpegFile(await cameraJpeg(64, 40)), { alt: 'A street' });
    expect(refused.status).toBe(401);
  });

  it('a media URL that names no file is a 404, not an immutable answer', async () => {
    const response = await fetch(`${stack.urls[0]}/media/${'0'.repeat(24)}-480.jpg`);
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control') ?? '').not.toContain('immutable');
    expect((await fetch(`${stack.urls[0]}/media/..%2F..%2Fpackage.json`)).status).toBe(404);
  });
});

describe('an update naming a photo', () => {
  it('shows a figure with its size, caption and credit on the reader page, and JSON-LD names the image', async () => {
    const fields = { alt: 'Stored alt', caption: 'The bridge <b>at dawn</b>', credit: 'Photo: R & Co' };
    const { body: photo } = await upload(jpegFile(await cameraJpeg(1200, 800)), fields);
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Photo story' } });
    const body = `Before\n\n![Smoke over the "bridge"](${photo.url})\n\nAfter ![other](https://img.example/a.jpg)`;
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'p1', body } });
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 1,
      'update applied',
    );
    const text = await (await fetch(`${stack.urls[0]}/stories/${story.slug}`)).text();
    const doc = parseDocument(text);
    const find = (name: string) => DomUtils.findAll((el) => el.name === name, doc.children);
    const [figure, ...moreFigures] = find('figure');
    expect(moreFigures).toHaveLength(0);
    const img = DomUtils.findOne((el) => el.name === 'img', figure!.children)!;
    expect(img.attribs).toMatchObject({
      src: photo.url,
      width: '1200',
      height: '800',
      alt: 'Smoke over the "bridge"',
      loading: 'lazy',
      decoding: 'async',
    });
    expect(img.attribs.srcset).toBe(
      `/media/${photo.id}-480.jpg 480w, /media/${photo.id}-960.jpg 960w, /media/${photo.id}-1200.jpg 1200w`,
    );
    expect(img.attribs.sizes).toBeTruthy();
    const source = DomUtils.findOne((el) => el.name === 'source', figure!.children)!;
    expect(source.attribs.type).toBe('image/webp');
    const caption = DomUtils.findOne((el) => el.name === 'figcaption', figure!.children)!;
    expect(DomUtils.textContent(caption)).toBe('The bridge <b>at dawn</b> Photo: R & Co');
    // Another site's image stays the plain <img> it always was.
    expect(find('img').filter((el) => el.attribs.src === 'https://img.example/a.jpg')).toHaveLength(1);

    const ldScript = find('script').find((el) => el.attribs.type === 'application/ld+json')!;
    const ld = JSON.parse(DomUtils.textContent(ldScript));
    expect(ld.image).toBe(`https://news.example${photo.url}`);
    expect(ld.liveBlogUpdate[0].image).toBe(`https://news.example${photo.url}`);
  });
});
