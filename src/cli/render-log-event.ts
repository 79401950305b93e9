import { plainText } from '../reports/markdown.js';
import type { Paint } from './terminal.js';

/**
 * The human line for a structured log event (nightly and daemon steps) on a terminal; the same
 * event is a JSON line with `--json` / `--log-format json`; null = nothing to show (the step already
 * logged it in words). Untrusted names lose control characters.
 */
export function renderLogEvent(event: string, f: Record<string, unknown>, paint: Paint): string | null {
  const s = (x: unknown) => plainText(String(x ?? ''));
  switch (event) {
    case 'progress':
      return s(f.message);
    case 'run_started':
      return `${paint.bold(`run ${s(f.runId)}`)} started (${s(f.kind)})`;
    case 'run_aborted':
      return paint.yellow(`run ${s(f.runId)} stopped after ${s(f.after)}`);
    case 'sampled':
    case 'judged':
      // the sampler and the judge already said it in words (progress lines); the event adds nothing for a person
      return null;
    case 'decided': {
      const d = (f.decisions ?? []) as { taskType: string; decision: string; to?: string | null }[];
      const moved = d.filter((x) => x.decision === 'escalate' || x.decision === 'deescalate');
      return `decided ${d.length} classes: ${moved.length ? moved.map((x) => paint.yellow(`${s(x.taskType)} ${s(x.decision)}${x.to ? ` -> ${s(x.to)}` : ''}`)).join(', ') : 'no change'}${f.routingTableChanged ? ', routing table rewritten' : ''}`;
    }
    case 'run_finished':
      return `${paint.bold(`run ${s(f.runId)}`)} finished${f.report ? `; report ${s(f.report)}` : ''}`;
    default: {
      const rest = Object.entries(f)
        .filter(([k]) => k !== 'pid' && k !== 'at')
        .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : s(v)}`);
      return [event.replace(/_/g, ' '), ...rest].join(' ');
    }
  }
}
