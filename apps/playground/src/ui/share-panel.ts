import type { RunRecord } from '@gradlab/core';
import { RUN_BUNDLE_EXTENSION, toRunBundle } from '@gradlab/core';

export interface ShareActions {
  importRun(file: File): void;
}

/** A file name from an experiment's name: letters, digits, dots, dashes and underscores. */
export const fileNameOf = (name: string): string =>
  `${name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'run'}${RUN_BUNDLE_EXTENSION}`;

/**
 * Sharing: the link that holds the whole experiment (kept current as it changes), the finished
 * run exported as a run bundle (`gradlab report NAME.gradlab.json` renders it), and a bundle
 * imported back.
 */
export class SharePanel {
  readonly #link: HTMLInputElement;
  readonly #copy: HTMLButtonElement;
  readonly #export: HTMLButtonElement;
  readonly #status: HTMLElement;
  #record: RunRecord | null = null;

  constructor(root: HTMLElement, actions: ShareActions) {
    this.#link = root.querySelector('#share-link') as HTMLInputElement;
    this.#copy = root.querySelector('[data-action="copy-link"]') as HTMLButtonElement;
    this.#export = root.querySelector('[data-action="export"]') as HTMLButtonElement;
    this.#status = root.querySelector('.share-status') as HTMLElement;
    const file = root.querySelector('#import-file') as HTMLInputElement;
    this.#copy.addEventListener('click', () => void this.#copyLink());
    this.#export.addEventListener('click', () => this.#download());
    file.addEventListener('change', () => {
      const chosen = file.files?.[0];
      if (chosen) actions.importRun(chosen);
      file.value = '';
    });
    this.setRecord(null);
  }

  setLink(url: string): void {
    this.#link.value = url;
  }

  /** A line under the buttons: what the last copy, export or import did. */
  say(text: string): void {
    this.#status.textContent = text;
  }

  setRecord(record: RunRecord | null): void {
    this.#record = record;
    this.#export.disabled = record === null;
  }

  async #copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.#link.value);
      this.#status.textContent = 'Link copied.';
    } catch {
      // No clipboard access (an insecure page, a denied permission): select it for Ctrl+C.
      this.#link.select();
      this.#status.textContent = 'The link is selected: press Ctrl+C (or Cmd+C) to copy it.';
    }
  }

  #download(): void {
    if (!this.#record) return;
    const json = `${JSON.stringify(toRunBundle(this.#record), null, 2)}\n`;
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileNameOf(this.#record.spec.name);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    this.#status.textContent = `Exported ${a.download}: \`gradlab report ${a.download}\` renders it.`;
  }
}
