// Node module hooks for the clean-exit test's child process: they run this package's
// TypeScript sources (and, through the "@gradlab/source" condition, the workspace packages'
// sources) in plain Node, with no build, the way vitest does.
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    // Sources import './x.js' for './x.ts', as TypeScript's NodeNext resolution wants.
    const relative = specifier.startsWith('.') || specifier.startsWith('/');
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && relative && specifier.endsWith('.js')) {
      return next(`${specifier.slice(0, -3)}.ts`, context);
    }
    throw e;
  }
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: url,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
