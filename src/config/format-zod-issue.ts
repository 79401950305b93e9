import type { z } from 'zod';

/** One zod issue as `field.path: message`, the shape every "bad input" message uses. */
export function formatZodIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${field}: ${issue.message}`;
}
