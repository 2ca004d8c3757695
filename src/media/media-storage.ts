/**
 * Where photo files live, behind a small interface so that a deployment can swap the folder for
 * object storage. The default keeps them in a folder; several API nodes need that folder on a
 * shared volume (docs/deployment.md). Names come from media-record.ts and are never user input.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';

export interface StoredFile {
  stream: Readable;
  size: number;
}

export interface MediaStorage {
  /** Stores the bytes under the name; a reader never sees a half-written file. */
  put(name: string, bytes: Buffer, type: string): Promise<void>;
  /** The file's bytes as a stream, or null when there is no such file. */
  stream(name: string): Promise<StoredFile | null>;
  exists(name: string): Promise<boolean>;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export function createFolderStorage(dir: string): MediaStorage {
  let ready: Promise<unknown> | undefined;
  const folder = () => (ready ??= mkdir(dir, { recursive: true }));

  async function fileSize(name: string): Promise<number | null> {
    try {
      const info = await stat(join(dir, name));
      return info.isFile() ? info.size : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  return {
    async put(name, bytes) {
      await folder();
      // Written aside, then renamed: rename is atomic, so a concurrent read sees all or nothing.
      const temporary = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
      await writeFile(temporary, bytes);
      await rename(temporary, join(dir, name));
    },
    async stream(name) {
      const size = await fileSize(name);
      return size === null ? null : { stream: createReadStream(join(dir, name)), size };
    },
    async exists(name) {
      return (await fileSize(name)) !== null;
    },
  };
}
