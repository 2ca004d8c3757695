/**
 * The topics this browser's subscription has on the server, remembered per endpoint so the
 * buttons show the right state after a reload without asking the server.
 */
const PREFIX = 'stoppress:alert-topics:';

export function rememberedTopics(endpoint: string): string[] | null {
  try {
    const stored = localStorage.getItem(PREFIX + endpoint);
    const topics: unknown = stored ? JSON.parse(stored) : null;
    return Array.isArray(topics) ? topics.filter((topic): topic is string => typeof topic === 'string') : null;
  } catch {
    return null; // storage disabled or a garbled entry: the buttons start off
  }
}

export function rememberTopics(endpoint: string, topics: readonly string[]): void {
  try {
    if (topics.length === 0) localStorage.removeItem(PREFIX + endpoint);
    else localStorage.setItem(PREFIX + endpoint, JSON.stringify(topics));
  } catch {
    // Storage full or disabled: the server still has the topics.
  }
}
