/**
 * How a failure reaches the editor: as a problem with the API's code. A refused token while
 * signed in means it was revoked, so that one signs the editor out instead.
 */
import { ApiError } from './api.ts';
import type { Store } from './store.ts';
import type { DashboardState, Problem } from './state.ts';

export type ShowProblem = (error: unknown) => void;

export function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export function createProblemReporter(store: Store<DashboardState>, signOut: (problem: Problem) => void): ShowProblem {
  return function showProblem(error: unknown): void {
    const problem = toProblem(error);
    if (problem.code === 'UNAUTHORIZED' && store.get().session === 'signed-in') {
      signOut({
        code: problem.code,
        message: 'Your editor token is no longer accepted (revoked?). Sign in again; your drafts are kept.',
      });
      return;
    }
    store.set({ problem });
  };
}
