/**
 * A unified diff (`diff -u` format, 3 lines of context) between two texts, by longest common
 * subsequence over lines. Empty string when the texts are equal. Meant for small files.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (oldText === newText) return '';
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = lineOps(a, b);
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i].op === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2*context unchanged lines.
    for (let j = i; j < ops.length; j++) {
      if (ops[j].op !== ' ') end = j;
      else if (j - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    hunks.push(renderHunk(ops.slice(start, stop)));
    i = stop;
    start = stop;
  }
  return `--- ${oldName}\n+++ ${newName}\n${hunks.join('')}`;
}

interface LineOp {
  op: ' ' | '-' | '+';
  line: string;
  aIndex: number;
  bIndex: number;
}

function splitLines(t: string): string[] {
  const lines = t.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function lineOps(a: string[], b: string[]): LineOp[] {
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ op: ' ', line: a[i], aIndex: i++, bIndex: j++ });
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1]))
      ops.push({ op: '-', line: a[i], aIndex: i++, bIndex: j });
    else ops.push({ op: '+', line: b[j], aIndex: i, bIndex: j++ });
  }
  return ops;
}

function renderHunk(ops: LineOp[]): string {
  const aCount = ops.filter((o) => o.op !== '+').length;
  const bCount = ops.filter((o) => o.op !== '-').length;
  const aStart = aCount === 0 ? ops[0].aIndex : ops[0].aIndex + 1;
  const bStart = bCount === 0 ? ops[0].bIndex : ops[0].bIndex + 1;
  const body = ops.map((o) => `${o.op}${o.line}\n`).join('');
  return `@@ -${aStart},${aCount} +${bStart},${bCount} @@\n${body}`;
}
