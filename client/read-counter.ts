import { resolveArticle } from './article-key.js';
import { formatCount } from './format.js';
import { socketUrl } from './socket-url.js';
import { followNavigation } from './navigation.js';
import { createSubscriptions, type Watch } from './subscriptions.js';
import { TEMPLATE, styleRoot } from './template.js';

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
// Connected elements, for following client-side navigation.
const counters = new Set<ReadCounter>();

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
  /** Pages open on the article; -1 while unknown (before a count, or while disconnected). */
  #live = -1;
  /** The article shown, once resolved. */
  #article: string | undefined;
  #stop: (() => void) | undefined;

  constructor() {
    super();
    this.#root.innerHTML = TEMPLATE;
    styleRoot(this.#root);
  }

  /** Reads of the article, or null before the first update. */
  get count(): number | null {
    return this.#count;
  }

  connectedCallback(): void {
    counters.add(this);
    this.#subscribe();
  }

  disconnectedCallback(): void {
    counters.delete(this);
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
    this.#count = null;
    this.#live = -1;
    this.#render();
    // An invalid key throws an ArticleError naming the problem into the console, and the
    // element keeps its fallback; a later attribute change or navigation tries again.
    const article = (this.#article = resolveArticle(this.getAttribute('article')));
    // Once per page: elements without `article` follow the site's client-side navigation, each
    // to the new page's article (its canonical link, else its path).
    watch ??= (
      followNavigation(() => counters.forEach((c) => c.hasAttribute('article') || c.#article === resolveArticle(null) || c.#subscribe())),
      createSubscriptions(socketUrl(import.meta.url))
    );
    this.#stop = watch(article, {
      counts: !this.hasAttribute('readonly'),
      update: (reads, live) => {
        this.#count = reads;
        this.#live = live;
        this.#render();
        // live < 0: the socket is down; the count stands, and nothing changed to announce.
        if (live >= 0) this.#emit('read-counter-update', { reads, live });
      },
      counted: (reads) => this.#emit('read-counter-counted', { reads }),
    });
  }

  #render(): void {
    const [counter, count, label, live, liveCount, liveLabel] = this.#root.querySelectorAll('span');
    const reads = this.#count;
    counter!.hidden = !(this.#root.querySelector('slot')!.hidden = reads !== null);
    if (reads === null) return;
    // lang="" is a RangeError that formatCount() turns into the browser's own language.
    const locale = (this.closest('[lang]') as HTMLElement | null)?.lang;
    // `label="Lesung|Lesungen"`: singular for exactly 1, plural otherwise; one word is used for every count.
    const [one, other = one] = (this.getAttribute('label') ?? 'read|reads').split('|');
    const word = reads === 1 ? one : other;
    count!.textContent = formatCount(reads, locale);
    label!.textContent = word!;
    live!.hidden = !this.hasAttribute('show-live') || this.#live < 0;
    liveCount!.textContent = formatCount(this.#live, locale);
    liveLabel!.textContent = this.getAttribute('live-label') ?? 'reading now';
    // The visible text may be compact ("12K"); hover and assistive tech get the exact figures
    // from the title, which is also the accessible name of the counter's role="img".
    counter!.title = `${formatCount(reads, locale, true)} ${word}` + (live!.hidden ? '' : `, ${liveCount!.textContent} ${liveLabel!.textContent}`);
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
