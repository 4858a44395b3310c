// The allowlist: sender addresses and domains that skip the spam threshold (never the virus verdict).
import { addToAllowlist, listAllowlist, removeFromAllowlist } from '../../db/directory';
import { html, layout, postForm } from '../html';
import { flash, redirect, Route, sendHtml } from '../server';

const back = (res: Parameters<typeof redirect>[0], kind: 'msg' | 'err', text: string) => redirect(res, `/admin/allowlist?${kind}=${encodeURIComponent(text)}`);

export const allowlistRoutes: Route[] = [
  {
    method: 'GET',
    path: '/admin/allowlist',
    access: 'admin',
    handler: async ({ res, url, session, deps }) => {
      const entries = await listAllowlist(deps.pool);
      const rows = entries.map((e) => html`<tr><td>${e}</td><td>${postForm('/admin/allowlist/remove', session!.csrf, html`<input type="hidden" name="entry" value="${e}"><button>Remove</button>`)}</td></tr>`);
      sendHtml(
        res,
        200,
        layout(
          'Allowlist',
          html`${flash(url)}<p>Allowlisted senders skip the spam threshold, never the virus verdict. An entry is an address (alerts@monitoring.example.com) or a domain (monitoring.example.com, which includes its subdomains).</p>
${postForm('/admin/allowlist/add', session!.csrf, html`<input name="entry" placeholder="address or domain" required> <button>Add</button>`, false)}
<table><thead><tr><th>Entry</th><th></th></tr></thead><tbody>${rows}</tbody></table>`,
        ),
      );
    },
  },
  {
    method: 'POST',
    path: '/admin/allowlist/add',
    access: 'admin',
    handler: async ({ res, body, deps }) => {
      try {
        back(res, 'msg', `allowlisted ${await addToAllowlist(deps.pool, String(body.entry ?? ''))}`);
      } catch (err) {
        back(res, 'err', (err as Error).message);
      }
    },
  },
  {
    method: 'POST',
    path: '/admin/allowlist/remove',
    access: 'admin',
    handler: async ({ res, body, deps }) => {
      try {
        const removed = await removeFromAllowlist(deps.pool, String(body.entry ?? ''));
        back(res, removed ? 'msg' : 'err', removed ? `removed ${body.entry}` : `${body.entry} is not on the allowlist`);
      } catch (err) {
        back(res, 'err', (err as Error).message);
      }
    },
  },
];
