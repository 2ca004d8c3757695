export interface SystemPackage {
  /** The executable that must end up on PATH. */
  command: string;
  /** Debian/Ubuntu package providing it. */
  apt?: string;
  /** Homebrew formula providing it. */
  brew?: string;
}

export function isOnPath(command: string): boolean;
export function ensureSystemPackage(pkg: SystemPackage): void;
