/**
 * The editor token lives in sessionStorage: it survives a reload of this tab but not closing it,
 * and other tabs or sites never see it.
 */
const TOKEN_KEY = 'stoppress.editorToken';

export function savedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage refused (private mode, quota): the session then lasts until the page reloads.
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored, nothing to forget.
  }
}
