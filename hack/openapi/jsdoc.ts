// Recovers a declaration's description from the JSDoc kubernetes-types emits, keeping line breaks
// and indentation so the text matches what upstream's OpenAPI carries.
import * as ts from 'typescript';

export function descriptionOf(node: ts.Node, source: ts.SourceFile): string | undefined {
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  const docs = ranges.filter((r) => source.text.startsWith('/**', r.pos));
  const last = docs[docs.length - 1];
  if (!last) return undefined;
  const body = source.text.slice(last.pos + 3, last.end - 2);
  // Only the "* " gutter is markup; any further indentation belongs to the text.
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/^\s+$/, ''));
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const text = lines.length === 1 ? lines[0].trim() : lines.join('\n').replace(/\s+$/, '');
  return text || undefined;
}
