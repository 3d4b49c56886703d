/**
 * A package's README is also its page on the registry, where a relative link (`../../docs/x.md`)
 * leads nowhere: every link in a publishable package's README is absolute (or an anchor).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishablePackages } from './publishable-packages.js';

const REPO = resolve(import.meta.dirname, '../../..');

/** The targets of the Markdown links and images of `text`, code spans and blocks left out. */
function linkTargets(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
    (m) => m[1] as string,
  );
}

const absolute = (target: string) => /^(https?:|mailto:|#)/.test(target);

describe('package READMEs', () => {
  it('finds links, and tells relative from absolute', () => {
    const targets = linkTargets(
      'See [a](../../docs/a.md), [b](https://x.org/b), ![c](./c.png "t") and [d](#d); `[e](f)`',
    );
    expect(targets).toEqual(['../../docs/a.md', 'https://x.org/b', './c.png', '#d']);
    expect(targets.filter((t) => !absolute(t))).toEqual(['../../docs/a.md', './c.png']);
  });

  it('link only to absolute addresses, which work on the registry page', () => {
    const relative = publishablePackages(REPO).flatMap((p) =>
      linkTargets(readFileSync(join(p.dir, 'README.md'), 'utf8'))
        .filter((t) => !absolute(t))
        .map((t) => `${p.name}: ${t}`),
    );
    expect(relative).toEqual([]);
  });
});
