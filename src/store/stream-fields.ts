/** A stream entry's flat `[field, value, field, value, …]` list as an object. */
export function streamFields(fields: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
  return map;
}
