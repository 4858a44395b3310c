// The test stack's admin page as a signed-in admin or an API caller sees it (the stack's env file holds
// the credentials: reading the deployment's config loads it into process.env).
import { Deployment } from '../../src/operations/deployment';

export const webBase = () => `http://127.0.0.1:${process.env.STACK_WEB_PORT}`;

export function adminCredentials(ctx: Deployment): { user: string; password: string; token: string } {
  void ctx.config;
  return { user: process.env.ADMIN_USER!, password: process.env.ADMIN_PASSWORD!, token: process.env.ADMIN_API_TOKEN! };
}

/** A session cookie and the CSRF token its forms carry. */
export async function adminSignIn(ctx: Deployment): Promise<{ cookie: string; csrf: string }> {
  const { user, password } = adminCredentials(ctx);
  const res = await fetch(`${webBase()}/login`, { method: 'POST', body: new URLSearchParams({ user, password }), redirect: 'manual' });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  const page = await (await fetch(`${webBase()}/admin/allowlist`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page)![1] };
}
