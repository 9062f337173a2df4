import { resolveArticle } from './article-key.js';
import { formatCount } from './format.js';
import { socketUrl } from './socket-url.js';
import { createSubscriptions, type Watch } from './subscriptions.js';
import { TEMPLATE } from './template.js';

/** Detail of the `read-counter-update` event. */
export interface ReadCounterUpdate {
  reads: number;
  live: number;
}

/** Detail of the `read-counter-counted` event. */
export interface ReadCounterCounted {
  reads: number;
}

// One per page, made on first use: importing this module opens nothing.
let watch: Watch | undefined;

// Lets the module be imported where there is no DOM (server rendering, tests).
const Base = (typeof HTMLElement === 'undefined' ? class {} : HTMLElement) as typeof HTMLElement;

/**
 * `<read-counter>`: shows how many people have read an article, live, and counts this
 * reader once they have read it. See docs/element.md.
 */
export class ReadCounter extends Base {
  static readonly observedAttributes = ['article', 'readonly', 'show-live', 'label', 'live-label'];
  readonly #root = this.attachShadow({ mode: 'open' });
  #count: number | null = null;
  #live: number | null = null;
  #stop: (() => void) | undefined;

  constructor() {
    super();
    this.#root.innerHTML = TEMPLATE;
  }

  /** Reads of the article, or null before the first update. */
  get count(): number | null {
    return this.#count;
  }

  connectedCallback(): void {
    this.#subscribe();
  }

  disconnectedCallback(): void {
    this.#stop?.();
    this.#stop = undefined;
  }

  attributeChangedCallback(name: string): void {
    // Article or mode changed after the first subscribe: a client-side route change.
    if (name === 'article' || name === 'readonly') {
      if (this.#stop) this.#subscribe();
    } else {
      this.#render();
    }
  }

  #subscribe(): void {
    this.#stop?.();
    this.#stop = () => {};
    this.#count = this.#live = null;
    this.#render();
    // An invalid key throws an ArticleError naming the problem into the console, and the
    // element keeps its fallback; a later attribute change tries again.
    const article = resolveArticle(this.getAttribute('article'));
    watch ??= createSubscriptions(socketUrl(import.meta.url));
    this.#stop = watch(article, {
      counts: !this.hasAttribute('readonly'),
      update: (reads, live) => {
        this.#count = reads;
        this.#live = live;
        this.#render();
        this.#emit('read-counter-update', { reads, live });
      },
      counted: (reads) => this.#emit('read-counter-counted', { reads }),
    });
  }

  #render(): void {
    const [counter, , count, label, live, liveCount, liveLabel, exact] = this.#root.querySelectorAll('span');
    const reads = this.#count;
    this.#root.querySelector('slot')!.hidden = reads !== null;
    counter!.hidden = reads === null;
    if (reads === null) return;
    const locale = this.closest('[lang]')?.getAttribute('lang') || undefined;
    const word = this.getAttribute('label') ?? (reads === 1 ? 'read' : 'reads');
    count!.textContent = formatCount(reads, locale);
    label!.textContent = word;
    live!.hidden = !this.hasAttribute('show-live');
    liveCount!.textContent = formatCount(this.#live ?? 0, locale);
    liveLabel!.textContent = this.getAttribute('live-label') ?? 'reading now';
    // The visible text may be compact ("12K"); hover and assistive tech get the exact figure.
    counter!.title = `${formatCount(reads, locale, true)} ${word}`;
    exact!.textContent = counter!.title + (live!.hidden ? '' : `, ${liveCount!.textContent} ${liveLabel!.textContent}`);
  }

  #emit(type: string, detail: ReadCounterUpdate | ReadCounterCounted): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'read-counter': ReadCounter;
  }
}

// The script may be included twice (two templates, two versions): the first one wins.
if (typeof customElements !== 'undefined' && !customElements.get('read-counter')) {
  customElements.define('read-counter', ReadCounter);
}
