import { Hono, type Context } from 'hono';
import { AdminOffPage, Page } from './layout.js';
import type { Admin } from './admin.js';
import { clearSessionCookie, sessionCookie, setSessionCookie } from './cookie.js';
import { sameOrigin } from './same-origin.js';
import { ApiError } from '../http/errors.js';

/** GET/POST /dashboard/login and POST /dashboard/logout: the browser side of admin access. */
export function loginRoutes(admin: Admin, now: () => number): Hono {
  const app = new Hono();
  app.get('/dashboard/login', async (c) => {
    if (!admin.enabled) return html(c, <AdminOffPage />, 404);
    if ((await admin.check(c)) === 'ok') return c.redirect('/dashboard', 303);
    return html(c, <LoginPage notice={c.req.query('out') === '1' ? 'You are logged out.' : undefined} />);
  });
  app.post('/dashboard/login', sameOrigin, async (c) => {
    if (!admin.enabled) return html(c, <AdminOffPage />, 404);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    let ok: boolean;
    try {
      ok = await admin.login(c, token);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 429) throw error;
      return html(c, <LoginPage error={`Too many wrong tokens from your network: ${error.message.replace(/^.*; /, '')}.`} />, 429);
    }
    if (!ok) return html(c, <LoginPage error="That is not the admin token." />, 401);
    setSessionCookie(c, await admin.sessions!.create(now()));
    return c.redirect('/dashboard', 303);
  });
  app.post('/dashboard/logout', sameOrigin, async (c) => {
    await admin.sessions?.revoke(sessionCookie(c));
    clearSessionCookie(c);
    return c.redirect('/dashboard/login?out=1', 303);
  });
  return app;
}

/** Renders a page with its doctype; pages are never cached (they carry live figures or a form). */
export async function html(c: Context, page: { toString(): string | Promise<string> }, status: 200 | 401 | 404 | 429 = 200): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return c.html(`<!doctype html>${await page.toString()}`, status);
}

function LoginPage({ error, notice }: { error?: string; notice?: string | undefined }) {
  return (
    <Page title="Log in · readcounter">
      <main class="card login">
        <h2>Log in to the dashboard</h2>
        <p class="muted small">Paste the server's ADMIN_TOKEN. You stay logged in on this browser for 30 days.</p>
        {notice === undefined ? null : <p class="small">{notice}</p>}
        <form method="post" action="/dashboard/login">
          <input type="password" name="token" autocomplete="current-password" aria-label="Admin token" placeholder="ADMIN_TOKEN" required autofocus />
          {error === undefined ? null : <p class="error" role="alert">{error}</p>}
          <button type="submit" class="primary">Log in</button>
        </form>
      </main>
    </Page>
  );
}
