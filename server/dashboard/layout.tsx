import type { Child } from 'hono/jsx';
import { DASHBOARD_CSS } from './style.js';
import { FAVICON } from '../http/favicon.js';

/** Props of Page(). */
export interface PageProps {
  title: string;
  /** Data for the live script, as data-* attributes on <body>; the script is loaded only when given. */
  live?: Record<string, string>;
  /** Show the log-out button. */
  loggedIn?: boolean;
  /** Controls shown in the top bar (the site switcher). */
  tools?: Child;
  children?: Child;
}

/** The HTML shell of every dashboard page. Hono JSX escapes every text and attribute. */
export function Page({ title, live, loggedIn = false, tools, children }: PageProps) {
  const data = Object.fromEntries(Object.entries(live ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        <link rel="icon" href={FAVICON} />
        <style dangerouslySetInnerHTML={{ __html: DASHBOARD_CSS }} />
        {live === undefined ? null : <script type="module" src="/dashboard/live.js" />}
      </head>
      <body {...data}>
        <div class="wrap">
          <header class="top">
            <a class="brand" href="/dashboard"><i />readcounter</a>
            {tools}
            {loggedIn ? (
              <form method="post" action="/dashboard/logout">
                <button type="submit">Log out</button>
              </form>
            ) : null}
          </header>
          {children}
        </div>
      </body>
    </html>
  );
}

/** A 404 page for the dashboard while ADMIN_TOKEN is unset: says how to turn it on. */
export function AdminOffPage() {
  return (
    <Page title="Dashboard is off · readcounter">
      <div class="card login">
        <h2>The dashboard is off</h2>
        <p class="muted">
          It turns on when the server has an admin token. Set <code>ADMIN_TOKEN</code> to a secret of at least 16 characters and
          restart:
        </p>
        <pre>ADMIN_TOKEN=$(openssl rand -hex 32) npm start</pre>
        <p class="muted small">On Fly.io: fly secrets set ADMIN_TOKEN=$(openssl rand -hex 32)</p>
      </div>
    </Page>
  );
}
