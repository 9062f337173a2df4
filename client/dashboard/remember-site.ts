// The dashboard's last chosen site, in this browser only: localStorage on the server's own
// origin, never a cookie, so it never travels and nothing but this browser knows it.
const KEY = 'readcounter_dashboard_site';

/**
 * Remembers the site the address names, and on a bare /dashboard (which shows the site with the
 * most reads) goes to the one chosen last, if the switcher still lists it. True when it navigates.
 */
export function rememberSite(site: string, days: string | undefined): boolean {
  try {
    if (new URLSearchParams(location.search).has('site')) {
      localStorage.setItem(KEY, site);
      return false;
    }
    const last = localStorage.getItem(KEY);
    const listed = [...document.querySelectorAll<HTMLOptionElement>('select#site option')].some((o) => o.value === last);
    if (last === null || last === site || !listed) return false;
    location.replace(`/dashboard?${new URLSearchParams({ site: last, days: days ?? '30' })}`);
    return true;
  } catch {
    // Storage blocked (a privacy setting): the dashboard works as before, without the memory.
    return false;
  }
}
