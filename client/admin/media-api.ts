/** The dashboard's photo upload: POST /api/media as multipart/form-data, errors as ApiError. */
import { ApiError } from './api.ts';

export interface PhotoFields {
  alt: string;
  caption: string;
  credit: string;
}

export interface UploadedPhoto extends PhotoFields {
  id: string;
  url: string;
  width: number;
  height: number;
}

async function answerOf(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export async function uploadPhoto(token: string, file: Blob, fields: PhotoFields): Promise<UploadedPhoto> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value) form.append(name, value);
  form.append('file', file);
  let response: Response;
  try {
    response = await fetch('/api/media', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  } catch {
    throw new ApiError('NETWORK_ERROR', 'Could not reach the Stop Press server to upload the photo.', null);
  }
  const answer = await answerOf(response);
  if (response.ok) return answer as UploadedPhoto;
  const error = (answer as { error?: { code?: string; message?: string } } | null)?.error;
  throw new ApiError(
    error?.code ?? `HTTP_${response.status}`,
    error?.message ?? `The server answered ${response.status} ${response.statusText}`,
    response.status,
  );
}
