/** A browser in miniature: keeps cookies, never follows redirects. */
export class Browser {
  cookies = new Map<string, string>();
  setCookies: string[] = [];
  constructor(private readonly base: string) {}

  async fetch(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(path.startsWith('http') ? path : `${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    this.setCookies = res.headers.getSetCookie();
    for (const line of this.setCookies) {
      const [pair = ''] = line.split(';');
      const i = pair.indexOf('=');
      const [name, value] = [pair.slice(0, i), pair.slice(i + 1)];
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
    return { status: res.status, headers: res.headers, body: body as any };
  }

  /** A write as the console sends it: CSRF header from its cookie and this site's Origin. */
  write(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
    return this.fetch(method, path, {
      body,
      headers: { 'x-csrf-token': this.cookies.get('vigil_csrf') ?? '', origin: this.base, ...extra },
    });
  }
}
