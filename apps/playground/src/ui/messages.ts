import { h } from './dom.js';

/**
 * Messages for the person at the page: errors (bad input, a backend that failed, a link that
 * could not be read) stay until dismissed and are announced at once; notes replace each other.
 */
export class Messages {
  readonly #root: HTMLElement;

  constructor(root: HTMLElement) {
    this.#root = root;
  }

  error(text: string): void {
    const close = h('button', { type: 'button', class: 'dismiss', 'aria-label': 'dismiss' }, ['×']);
    const message = h('p', { class: 'message error', role: 'alert' }, [text, close]);
    close.addEventListener('click', () => message.remove());
    this.#root.append(message);
  }

  note(text: string): void {
    for (const old of this.#root.querySelectorAll('.message.note')) old.remove();
    this.#root.append(h('p', { class: 'message note', role: 'status' }, [text]));
  }

  clearErrors(): void {
    for (const old of this.#root.querySelectorAll('.message.error')) old.remove();
  }
}
