/**
 * Generates the simulator's API reference from its TSDoc with TypeDoc, as a small JSON file the
 * site's /api/ page renders (src/workbench/generated/api.json). Generated from the code, never
 * hand-copied (see ./index.ts for when).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Application, Comment, DeclarationReflection, ReflectionKind, type CommentDisplayPart, type SignatureReflection } from 'typedoc';

const root = resolve(import.meta.dirname, '../..');

export interface ApiMember {
  name: string;
  kind: string;
  signatures: string[];
  summary: string;
  flags: string[];
}
export interface ApiItem extends ApiMember {
  id: string;
  source: string;
  members: ApiMember[];
}

const text = (parts: readonly CommentDisplayPart[] | undefined) => (parts ? Comment.combineDisplayParts(parts).trim() : '');

function signatureText(name: string, signature: SignatureReflection): string {
  const typeParameters = signature.typeParameters?.length ? `<${signature.typeParameters.map((p) => p.name).join(', ')}>` : '';
  const parameters = (signature.parameters ?? [])
    .map((p) => `${p.flags.isRest ? '...' : ''}${p.name}${p.flags.isOptional || p.defaultValue ? '?' : ''}: ${p.type?.toString() ?? 'unknown'}`)
    .join(', ');
  return `${name}${typeParameters}(${parameters}): ${signature.type?.toString() ?? 'void'}`;
}

function summaryOf(reflection: DeclarationReflection): string {
  return text(reflection.comment?.summary) || text(reflection.signatures?.[0]?.comment?.summary) || text(reflection.getSignature?.comment?.summary);
}

function describe(reflection: DeclarationReflection): ApiMember {
  const kind = ReflectionKind.singularString(reflection.kind);
  let signatures: string[] = [];
  if (reflection.signatures) signatures = reflection.signatures.map((s) => signatureText(reflection.name, s));
  else if (reflection.getSignature) signatures = [`get ${reflection.name}(): ${reflection.getSignature.type?.toString() ?? 'unknown'}`];
  else if (reflection.type) signatures = [`${reflection.name}${reflection.flags.isOptional ? '?' : ''}: ${reflection.type.toString()}`];
  const flags = [reflection.flags.isStatic && 'static', reflection.flags.isReadonly && 'readonly', reflection.flags.isAbstract && 'abstract'].filter(
    (flag): flag is string => typeof flag === 'string',
  );
  return { name: reflection.name, kind, signatures, summary: summaryOf(reflection), flags };
}

/** Writes `<outDir>/api.json`: the simulator's exported items with signatures and summaries. */
export async function generateApiReference(outDir: string): Promise<number> {
  const app = await Application.bootstrap({
    entryPoints: [resolve(root, 'src/sim/index.ts')],
    tsconfig: resolve(root, 'tsconfig.json'),
    skipErrorChecking: true,
    excludePrivate: true,
    excludeProtected: true,
    excludeInternal: true,
    excludeNotDocumented: false,
    logLevel: 'Error',
  });
  const project = await app.convert();
  if (!project) throw new Error('TypeDoc could not read src/sim/index.ts');

  const items: ApiItem[] = (project.children ?? [])
    .map((reflection) => ({
      ...describe(reflection),
      id: `${ReflectionKind.singularString(reflection.kind).toLowerCase().replace(/\s+/g, '-')}-${reflection.name}`,
      source: reflection.sources?.[0]?.fileName.replace(/^.*?src\/sim\//, 'src/sim/') ?? '',
      members: (reflection.children ?? []).filter((child) => !child.name.startsWith('#')).map(describe),
    }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));

  mkdirSync(outDir, { recursive: true });
  writeFileSync(resolve(outDir, 'api.json'), JSON.stringify({ generatedFrom: 'src/sim/index.ts', items }, null, 1));
  return items.length;
}
