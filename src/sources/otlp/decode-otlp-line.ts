import type { LineDecoder } from '../../ingest/ingest-file.js';
import { parseEvent, type DriftwatchEvent } from '../../ingest/event-schema.js';
import { OtlpFormatError, type OtlpSpan, readSpans } from './otlp-json.js';
import { spanToEvent } from './span-to-event.js';

/** The attribute the task class is read from when driftwatch.yaml names none (`ingest.otlp.taskAttribute`). */
export const DEFAULT_TASK_ATTRIBUTE = 'driftwatch.task_type';

/**
 * A line of an OTLP/JSON trace file (one ExportTraceServiceRequest) as routing events: one per LLM
 * span, id `traceId:spanId`. Other spans are counted by reason; LLM spans without their prompt or
 * answer (content capture off) are stored with an empty answer, so the judge marks them unjudgeable.
 * A field that breaks OTLP/JSON or the event contract fails the line, naming the span.
 */
export function createOtlpDecoder(options: { taskAttribute?: string } = {}): LineDecoder {
  const taskAttribute = options.taskAttribute ?? DEFAULT_TASK_ATTRIBUTE;
  return (value) => {
    let spans: OtlpSpan[];
    try {
      spans = readSpans(value);
    } catch (err) {
      if (err instanceof OtlpFormatError) return { ok: false, problem: err.message };
      throw err;
    }
    const events: { event: DriftwatchEvent; content: unknown }[] = [];
    const skipped: Record<string, number> = {};
    for (const span of spans) {
      const r = spanToEvent(span, taskAttribute);
      if (r.kind === 'skip') {
        skipped[r.reason] = (skipped[r.reason] ?? 0) + 1;
        continue;
      }
      const parsed = parseEvent(r.event);
      if (!parsed.ok)
        return {
          ok: false,
          problem: `${span.path} (span ${JSON.stringify(span.name)}, ${r.dialect}): ${parsed.problem}`,
        };
      events.push({ event: parsed.event, content: r.event });
    }
    return { ok: true, events, skipped };
  };
}
