/**
 * The composer's byline field: editor names, comma-separated. Empty means the editor posting.
 * It is not part of the draft and stays filled after a publish: a team covering a story together
 * signs update after update with the same names.
 */
export function bylineNames(): { authors?: string[] } {
  const input = document.getElementById('composer-authors');
  if (!(input instanceof HTMLInputElement)) return {};
  const names = input.value
    .split(/[,;\s]+/)
    .map((name) => name.trim())
    .filter(Boolean);
  // Repeats are a typing slip, not a second author.
  return names.length > 0 ? { authors: [...new Set(names)] } : {};
}
