// The emails of an incident as agents see them: each one's attachments with download links and its HTML
// body in a sandboxed frame; the links are signed for the one who asked and expire in minutes (email-part-links).
import { describeSize, IncidentEmail, IncidentEmails } from '../../operations/incident-emails';
import { html } from '../html';
import { API_AUDIENCE, EmailPart, sessionAudience, signPartLink } from '../email-part-links';
import { checkedPartLink, sendAttachment, sendEmailHtml } from '../email-part-download';
import { Request, Route } from '../server';

export const ADMIN_PARTS_PATH = '/admin/email-parts';
export const API_PARTS_PATH = '/api/email-parts';

export type LinkTo = (sesMessageId: string, part: EmailPart) => { url: string; expiresAt: number };

/** Links for one audience under one path. */
export function partLinks(key: Buffer, audience: string, path: string): LinkTo {
  return (sesMessageId, part) => {
    const { token, expiresAt } = signPartLink(key, audience, { sesMessageId, part });
    return { url: `${path}/${token}`, expiresAt };
  };
}

/** The emails as the API answers them: each attachment with its download link and when the link expires. */
export function emailsWithLinks({ emails, emailsNotListed }: IncidentEmails, linkTo: LinkTo) {
  return {
    emails: emails.map((email) => ({
      ...email,
      attachments: email.attachments.map((a) => {
        const link = linkTo(email.sesMessageId, a.index);
        return { ...a, downloadUrl: link.url, expiresAt: new Date(link.expiresAt).toISOString() };
      }),
    })),
    emailsNotListed,
  };
}

function emailBlock(email: IncidentEmail, linkTo: LinkTo) {
  const rows = email.attachments.map(
    (a) =>
      html`<tr><td><a href="${linkTo(email.sesMessageId, a.index).url}" download>${a.filename}</a></td><td>${a.contentType}${a.inline ? ' (inline)' : ''}</td><td>${describeSize(a.size)}</td></tr>`,
  );
  const attachments = rows.length
    ? html`<table class="attachments"><thead><tr><th>Attachment</th><th>Type</th><th>Size</th></tr></thead><tbody>${rows}</tbody></table>${
        email.attachmentsNotListed ? html`<p>${email.attachmentsNotListed} more attachments not listed.</p>` : ''
      }`
    : html`<p>No attachments.</p>`;
  // No allow-scripts, no allow-same-origin, no allow-popups: the frame runs nothing, reaches nothing of ours,
  // opens nothing; its own policy also forbids loading anything but the email's inline images.
  const body = email.hasHtml
    ? html`<p class="note">HTML body, sanitised: scripts, forms and links do not work here, and remote images are blocked.</p><iframe class="email-html" sandbox="" referrerpolicy="no-referrer" loading="lazy" title="HTML body of ${email.subject}" src="${linkTo(email.sesMessageId, 'html').url}" style="width:100%;height:28em;border:1px solid #ccc"></iframe>`
    : html``;
  const what = email.original ? 'Original email' : 'Reply';
  return html`<section class="email" data-ses-id="${email.sesMessageId}"><h3>${what} from ${email.from ?? '(unknown)'}, ${email.receivedAt}: ${email.subject}</h3>${
    email.unavailable ? html`<p class="err">Not shown: ${email.unavailable}</p>` : html`${attachments}${body}`
  }</section>`;
}

/** The incident page's Emails section. */
export function emailsSection({ emails, emailsNotListed }: IncidentEmails, linkTo: LinkTo) {
  if (emails.length === 0) return html``;
  const older = emailsNotListed ? html`<p>${emailsNotListed} older replies not listed.</p>` : html``;
  return html`<h2>Emails</h2>${older}${emails.map((email) => emailBlock(email, linkTo))}`;
}

/** An attachment or an HTML body, for whoever the link was signed for. */
async function servePart({ res, params, deps }: Request, audience: string): Promise<void> {
  const link = checkedPartLink(deps.config.customerData.hashKey, audience, params.token);
  if (link.part === 'html') await sendEmailHtml(res, deps.pool, deps.aws, link);
  else await sendAttachment(res, deps.pool, deps.aws, link);
}

export const incidentEmailRoutes: Route[] = [
  { method: 'GET', path: `${ADMIN_PARTS_PATH}/:token`, access: 'admin', handler: (r) => servePart(r, sessionAudience(r.session!.idHash)) },
  { method: 'GET', path: `${API_PARTS_PATH}/:token`, access: 'api', handler: (r) => servePart(r, API_AUDIENCE) },
];
