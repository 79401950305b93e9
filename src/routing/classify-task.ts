import type { Tier } from './routing-table.js';

/** What the default classifier looks at in a request. */
export interface TaskSignals {
  taskType: string;
  inputTokens?: number;
  hasToolCalls?: boolean;
}

const TRIVIAL = new Set(['classify', 'extract_field', 'route_intent']);
const STANDARD = new Set(['summarize', 'qa_retrieval', 'generate_reply']);
const COMPLEX = new Set(['code_generation', 'multi_step_reasoning', 'synthesis']);
const CRITICAL = new Set(['compliance_check', 'legal_review', 'medical_content']);

/**
 * The default tier for a task the routing table doesn't list: short classification and
 * extraction are trivial; summaries, retrieval Q&A and replies without tools standard;
 * code, multi-step reasoning and synthesis complex; compliance, legal and medical
 * critical. Long inputs or tool calls move a task up; anything else is standard.
 */
export function classifyTask(s: TaskSignals): Tier {
  const tokens = s.inputTokens ?? 0;
  if (CRITICAL.has(s.taskType)) return 'critical';
  if (COMPLEX.has(s.taskType)) return 'complex';
  if (TRIVIAL.has(s.taskType)) return tokens < 500 && !s.hasToolCalls ? 'trivial' : 'standard';
  if (STANDARD.has(s.taskType)) return tokens < 2000 && !s.hasToolCalls ? 'standard' : 'complex';
  return 'standard';
}
