// Admin -> Notifications -> Email Quarantine: what is held, why, a safe text preview, and the decisions.
import { listInboundEmails } from '../../db/inbound-emails';
import { discardQuarantined, releaseQuarantined } from '../../operations/quarantine';
import { html, layout, postForm } from '../html';
import { flash, redirect, Route, sendHtml } from '../server';

const PAGE_SIZE = 100;

export const quarantineRoutes: Route[] = [
  {
    method: 'GET',
    path: '/admin/quarantine',
    access: 'admin',
    handler: async ({ res, url, session, deps }) => {
      // The newest 100, with the preview stored at parse time: the page never loads whole emails.
      const emails = await listInboundEmails(deps.pool, 'quarantined', PAGE_SIZE);
      const rows = await Promise.all(
        emails.map(async (e) => {
          const preview = e.preview ?? '(no preview: the email could not be parsed)';
          const verdicts = e.verdicts ? Object.entries(e.verdicts).map(([k, v]) => `${k} ${v}`).join(', ') : '-';
          const id = encodeURIComponent(e.sesMessageId);
          const virus = e.verdicts?.virus === 'FAIL';
          return html`<tr data-id="${e.sesMessageId}"><td>${e.receivedAt}</td><td>${e.sender ?? '-'}</td><td>${e.subject ?? ''}</td>
<td>${verdicts}<br>score ${e.spamScore ?? '-'}<br><em>${e.reason ?? ''}</em></td><td><pre>${preview}</pre></td><td>
${postForm(`/admin/quarantine/${id}/release`, session!.csrf, html`${virus ? html`<label><input type="checkbox" name="override" value="1"> override virus</label>` : ''}<button name="action" value="release">Release</button><button name="action" value="release-allowlist">Release and allowlist sender</button>`)}
${postForm(`/admin/quarantine/${id}/discard`, session!.csrf, html`<button>Discard</button>`)}</td></tr>`;
        }),
      );
      sendHtml(
        res,
        200,
        layout(
          'Email Quarantine',
          html`${flash(url)}<p>${emails.length}${emails.length === PAGE_SIZE ? '+' : ''} email(s) held, newest first: kept in S3, not processed, until released or discarded.</p>
<table><thead><tr><th>Received</th><th>Sender</th><th>Subject</th><th>Verdicts</th><th>Preview (text)</th><th></th></tr></thead><tbody>${rows}</tbody></table>`,
        ),
      );
    },
  },
  {
    method: 'POST',
    path: '/admin/quarantine/:id/release',
    access: 'admin',
    handler: async ({ res, params, body, deps }) => {
      try {
        const done = await releaseQuarantined(deps.temporal, deps.pool, params.id, { allowlistSender: body.action === 'release-allowlist', override: body.override === '1' });
        redirect(res, `/admin/quarantine?msg=${encodeURIComponent(done.join('; '))}`);
      } catch (err) {
        redirect(res, `/admin/quarantine?err=${encodeURIComponent((err as Error).message)}`);
      }
    },
  },
  {
    method: 'POST',
    path: '/admin/quarantine/:id/discard',
    access: 'admin',
    handler: async ({ res, params, deps, session }) => {
      try {
        await discardQuarantined(deps.temporal, params.id, `discarded by ${session!.user} on the admin page`);
        redirect(res, `/admin/quarantine?msg=${encodeURIComponent(`discarded ${params.id}`)}`);
      } catch (err) {
        redirect(res, `/admin/quarantine?err=${encodeURIComponent((err as Error).message)}`);
      }
    },
  },
];
