/**
 * A json/jsonb column's value as the drivers return it: parsed already (pg and PGlite parse jsonb),
 * or still text (a json value selected as text, or a driver without the type parser).
 */
export function jsonColumn<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
