import { existsSync, readFileSync } from 'node:fs';

/**
 * What the packaging test does with a README's ```ts block. A block runs unless the line just
 * before it says otherwise, in a comment the registry page does not show:
 *   <!-- example: compile-only: REASON -->   (it needs hardware, files or a test runner)
 *   <!-- example: skip: REASON -->           (not a program: an outline of a type)
 */
export type ExampleMode = 'run' | 'compile-only' | 'skip';

export interface ReadmeExample {
  /** A file name for the example: the README's label and the block's line. */
  readonly id: string;
  readonly code: string;
  readonly mode: ExampleMode;
  readonly reason: string | null;
}

const BLOCK = /(?:<!-- example: (compile-only|skip): (.+?) -->\n)?```ts\n([\s\S]*?)```/g;

function examplesIn(text: string, label: string, firstLine: number): ReadmeExample[] {
  return [...text.matchAll(BLOCK)].map((m) => ({
    id: `${label}-line${firstLine + text.slice(0, m.index).split('\n').length - 1}`,
    code: m[3] as string,
    mode: (m[1] as ExampleMode | undefined) ?? 'run',
    reason: m[2] ?? null,
  }));
}

/** Every ```ts block of a package README; none without one (the tarball check reports it). */
export function readmeExamples(readmePath: string, label: string): ReadmeExample[] {
  if (!existsSync(readmePath)) return [];
  return examplesIn(readFileSync(readmePath, 'utf8'), label, 1);
}

/** The root README's library examples: its section "Use it from TypeScript" and subsections. */
export function rootLibraryExamples(readmePath: string): ReadmeExample[] {
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf('\n## Use it from TypeScript');
  if (start < 0) throw new Error(`no "## Use it from TypeScript" section in ${readmePath}`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start + 1, end < 0 ? undefined : end);
  return examplesIn(section, 'root', text.slice(0, start + 1).split('\n').length);
}
