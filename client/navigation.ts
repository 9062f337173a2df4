/**
 * Calls `onChange` after every same-document navigation, however the site's router makes it:
 * `history.pushState`/`replaceState`, back and forward (`popstate`, which hash changes fire
 * too), the Navigation API where there is one, and elements added to or removed from `<head>`
 * (routers that swap the canonical link after they change the URL). Called late, in a microtask, so a
 * router's own code runs first and an error here can never break it. `onChange` must be cheap
 * and repeatable: one navigation may call it more than once.
 */
export function followNavigation(onChange: () => void): void {
  const later = (): void => queueMicrotask(onChange);
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    history[name] = function (this: History) {
      original.apply(this, arguments as unknown as Parameters<History['pushState']>);
      later();
    };
  }
  addEventListener('popstate', later);
  (window as Window & { navigation?: EventTarget }).navigation?.addEventListener('currententrychange', later);
  new MutationObserver(later).observe(document.head, { childList: true });
}
