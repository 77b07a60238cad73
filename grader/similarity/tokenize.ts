/**
 * TypeScript source as the token stream Dolos compares: the syntax tree in prefix form,
 * `(` kind … `)` per node, with identifiers and literals reduced to their kind. Renaming a
 * variable or changing a constant's value therefore changes nothing; changing the structure does.
 * The compiler is the project's own `typescript` (no native parser to build for one Node or another).
 */
import { File, Region, TokenizedFile } from '@dodona/dolos-core';
import ts from 'typescript';

/** A zero-width region at `position` of `source` (Dolos rows and columns are 0-based). */
function pointAt(source: ts.SourceFile, position: number): Region {
  const { line, character } = source.getLineAndCharacterOfPosition(position);
  return new Region(line, character, line, character);
}

/** Tokenizes `content` (named `path` in reports) for a Dolos fingerprint index. */
export function tokenizeTypeScript(path: string, content: string): TokenizedFile {
  const source = ts.createSourceFile(path, content, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const tokens: string[] = [];
  const mapping: Region[] = [];
  const visit = (node: ts.Node): void => {
    // Each token points at where its node starts (or ends, for `)`), so a run of tokens maps
    // to exactly the code between its first and last node, not to whole enclosing blocks.
    const start = pointAt(source, node.getStart(source));
    tokens.push('(', ts.SyntaxKind[node.kind] ?? String(node.kind));
    mapping.push(start, start);
    node.forEachChild(visit);
    tokens.push(')');
    mapping.push(pointAt(source, node.getEnd()));
  };
  source.statements.forEach(visit);
  return new TokenizedFile(new File(path, content), tokens, mapping);
}
