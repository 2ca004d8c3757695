/** Builds client/dist when missing or stale; true when it built. */
export function ensureClientBuilt(options?: { quiet?: boolean }): boolean;
