/**
 * The editor's sign-in: the token is checked before anything else, kept for this tab, and turned
 * into an API client and a socket. Signing out drops all three; drafts stay on the device.
 * (The selected story's live feed is story-session.ts.)
 */
import { io } from 'socket.io-client';
import type { ReaderSocket } from '../lib/story-feed.ts';
import { ApiError, checkToken, createApi, type Api } from './api.ts';
import type { Composer } from './composer.ts';
import { toProblem } from './problems.ts';
import { forgetToken, saveToken } from './saved-token.ts';
import type { Store } from './store.ts';
import { INITIAL_STATE, type DashboardState, type Problem } from './state.ts';

/** What a signed-in editor talks to the server through. */
export interface Connection {
  api: Api;
  socket: ReaderSocket;
}

export interface SessionDeps {
  store: Store<DashboardState>;
  composer: Composer;
  /** Signed in: load what the dashboard shows. */
  onSignedIn(): Promise<void>;
  /** Signing out: stop following the selected story. */
  onSigningOut(): void;
}

export type Session = ReturnType<typeof createSession>;

export function createSession({ store, composer, onSignedIn, onSigningOut }: SessionDeps) {
  let connection: Connection | null = null;

  async function signIn(token: string): Promise<void> {
    store.set({ session: 'checking', problem: null });
    let me;
    try {
      me = await checkToken(token);
    } catch (error) {
      refuseSignIn(store, error);
      return;
    }
    saveToken(token);
    const tokenInput = document.getElementById('signin-token');
    if (tokenInput instanceof HTMLInputElement) tokenInput.value = '';
    connection = { api: createApi(token), socket: io({ transports: ['websocket'] }) as ReaderSocket };
    store.set({ session: 'signed-in', me, notice: 'Signed in.' });
    await onSignedIn();
  }

  function signOut(problem: Problem | null = null): void {
    onSigningOut();
    connection?.socket.disconnect();
    connection = null;
    forgetToken();
    composer.show(null);
    store.set({ ...INITIAL_STATE, problem, notice: problem ? '' : 'Signed out. Your drafts stay on this device.' });
  }

  function submitSignIn(form: HTMLFormElement): void {
    const token = String(new FormData(form).get('token') ?? '').trim();
    if (!token) store.set({ problem: { code: 'VALIDATION_FAILED', message: 'Paste your editor token first.' } });
    else void signIn(token);
  }

  return { signIn, signOut, submitSignIn, connection: () => connection };
}

function refuseSignIn(store: Store<DashboardState>, error: unknown): void {
  const refused = error instanceof ApiError && error.code === 'UNAUTHORIZED';
  if (refused) forgetToken();
  store.set({
    session: 'signed-out',
    problem: refused
      ? { code: 'UNAUTHORIZED', message: 'This token was not accepted: it is mistyped, unknown or revoked.' }
      : toProblem(error),
  });
  document.getElementById('signin-token')?.focus();
}
