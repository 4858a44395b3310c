// Incidents: the list, one incident's thread, and an agent comment with "Send to Customer".
import { liftSuppression } from '../../db/delivery-events';
import { getIncident, listIncidents } from '../../db/incidents';
import { describeExternalNumber, ExternalNumber } from '../../domain/external-ticket-numbers';
import { describeEvent, IncidentMail, withIncidentMail } from '../../operations/outbound-mail-view';
import { addAgentComment, waitForComment } from '../../operations/incident-thread';
import { addIncidentParticipant, incidentOwners, incidentParticipants, Participant, removeIncidentParticipant } from '../../operations/participants';
import { withIncidentSla } from '../../operations/sla-view';
import { slaSummaries } from '../../db/sla';
import { childIncidents } from '../../db/alert-storms';
import { dueCell, slaSection } from './incident-sla';
import { html, layout, postForm } from '../html';
import { flash, Handler, HttpError, PAGE_POLICY, redirect, Request, Route, sendHtml } from '../server';
import { incidentEmails } from '../../operations/incident-emails';
import { sessionAudience } from '../email-part-links';
import { ADMIN_PARTS_PATH, emailsSection, partLinks } from './incident-emails';

/** The mail we sent, each recipient's delivery status, and the suppressions (with a button to lift one). */
function mailSent(incident: IncidentMail & { number: string }, csrf: string) {
  const rows = incident.outboundMail.map(
    (m) => html`<tr><td>${m.sentAt ?? 'not sent'}</td><td>${m.kind}</td><td>${m.recipients.map((r) => html`<div class="delivery-${r.status.replace(' ', '-')}">${r.address}: ${r.status}</div>`)}</td><td>${m.events.map(describeEvent).filter((d) => d !== null).map((d) => html`<div>${d}</div>`)}${m.failure ?? ''}</td></tr>`,
  );
  const suppressed = incident.suppressedAddresses.map(
    (s) =>
      html`<p class="suppressed">No automatic mail to ${s.address} since ${s.suppressedAt}: ${s.detail} ${postForm(`/admin/incidents/${incident.number}/lift-suppression`, csrf, html`<input type="hidden" name="address" value="${s.address}"><button>Send automatic mail again</button>`)}</p>`,
  );
  if (rows.length === 0 && suppressed.length === 0) return html``;
  return html`<h2>Mail we sent</h2>${suppressed}<table><thead><tr><th>Sent</th><th>Kind</th><th>Delivery</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** An alert storm: the parent this incident is grouped under, or the incidents this one groups. */
function stormSection(parent: string | null, children: string[]) {
  const link = (n: string) => html`<a href="/admin/incidents/${n}">${n}</a>`;
  if (parent) return html`<p>Part of the alert storm ${link(parent)}</p>`;
  if (children.length === 0) return html``;
  return html`<h2>Alert storm</h2><p>${children.length} incidents of monitoring alerts grouped under this one: ${children.map((c, i) => html`${i ? ', ' : ''}${link(c)}`)}</p>`;
}

/** Who gets agent comments in copy and may speak on the thread: remove buttons (not for the owners), an add form. */
function participantsSection(number: string, participants: Participant[], owners: Map<string, string>, csrf: string) {
  const rows = participants.map(
    (p) =>
      html`<tr><td>${p.address}</td><td>${p.name ?? ''}</td><td>${p.addedVia}</td><td>${p.addedAt.toISOString()}</td><td>${
        owners.has(p.address)
          ? html`<span class="owner">owns the incident</span>`
          : postForm(`/admin/incidents/${number}/participants/remove`, csrf, html`<input type="hidden" name="address" value="${p.address}"><button>Remove</button>`)
      }</td></tr>`,
  );
  const list = participants.length
    ? html`<table><thead><tr><th>Address</th><th>Name</th><th>Joined</th><th>When</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p>No participants.</p>`;
  const add = postForm(
    `/admin/incidents/${number}/participants/add`,
    csrf,
    html`<p><label>Address <input type="email" name="address" required maxlength="254"></label> <label>Name <input name="name" maxlength="100"></label> <button>Add participant</button></p>`,
    false,
  );
  return html`<h2>Participants</h2><p>They get agent comments sent to the customer in copy and may reply on the thread.</p>${list}${add}`;
}

const incidentLink = (number: string) => html`<a href="/admin/incidents/${number}">${number}</a>`;

/** The closed incident this one follows up, and those that follow it up (the follow-up policy new-incident). */
function followUpLinks(incident: { followUpOf: string | null; followUps: string[] }) {
  const of = incident.followUpOf ? html`<p class="follow-up-of">Follow-up of ${incidentLink(incident.followUpOf)} (a reply to it after it was closed)</p>` : html``;
  const by = incident.followUps.length
    ? html`<p class="followed-up-by">Followed up by ${incident.followUps.map((n, i) => html`${i ? ', ' : ''}${incidentLink(n)}`)} (replies after it was closed)</p>`
    : html``;
  return html`${of}${by}`;
}

/**
 * An agent's action on the incident page: it runs, and the page comes back with what it did, or with
 * why it was refused.
 */
function incidentAction(work: (request: Request) => Promise<string>): Handler {
  return async (request) => {
    const back = `/admin/incidents/${encodeURIComponent(request.params.number)}`;
    try {
      redirect(request.res, `${back}?msg=${encodeURIComponent(await work(request))}`);
    } catch (err) {
      redirect(request.res, `${back}?err=${encodeURIComponent((err as Error).message)}`);
    }
  };
}

/** Mail carrying one of these, and none of our clues, joins the incident (README, Threads). */
function externalNumbersLine(numbers: ExternalNumber[]) {
  return numbers.length ? html`<p>Other helpdesks' numbers: ${numbers.map(describeExternalNumber).join(', ')}</p>` : html``;
}

export const incidentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/admin/incidents',
    access: 'admin',
    handler: async ({ res, deps }) => {
      const incidents = await listIncidents(deps.pool, 200);
      const slas = await slaSummaries(deps.pool, incidents.map((i) => i.number));
      const rows = incidents.map(
        (i) => html`<tr><td><a href="/admin/incidents/${i.number}">${i.number}</a></td><td>${i.state}</td><td>P${i.priority}</td>${dueCell(slas.get(i.number), i.slaDueAt)}<td>${i.assignmentGroup ?? '-'}</td><td>${i.reporter?.name ?? i.sender.address}</td><td>${i.shortDescription}</td><td>${i.createdAt}</td></tr>`,
      );
      sendHtml(res, 200, layout('Incidents', html`<table><thead><tr><th>Number</th><th>State</th><th>Priority</th><th>Due</th><th>Group</th><th>Reporter</th><th>Short description</th><th>Created</th></tr></thead><tbody>${rows}</tbody></table>`));
    },
  },
  {
    method: 'GET',
    path: '/admin/incidents/:number',
    access: 'admin',
    handler: async ({ res, url, params, session, deps }) => {
      const found = await getIncident(deps.pool, params.number);
      if (!found) throw new HttpError(404, `No incident ${params.number}`);
      const incident = await withIncidentSla(deps.pool, await withIncidentMail(deps.pool, found));
      const storm = stormSection(incident.parentIncident, await childIncidents(deps.pool, incident.number));
      const emails = emailsSection(await incidentEmails(deps.pool, deps.aws, incident.number), partLinks(deps.config.customerData.hashKey, sessionAudience(session!.idHash), ADMIN_PARTS_PATH));
      const participants = participantsSection(incident.number, await incidentParticipants(deps.pool, incident.number), await incidentOwners(deps.pool, incident.number), session!.csrf);
      // An unverified reply may be anyone's words in the customer's name: said so beside it.
      const comments = incident.comments.map(
        (c) => html`<tr><td>${c.createdAt}</td><td>${c.source}${c.unverified ? ' (unverified sender)' : ''}</td><td>${c.author}</td><td><pre>${c.body}</pre></td></tr>`,
      );
      const form = postForm(
        `/admin/incidents/${incident.number}/comment`,
        session!.csrf,
        html`<p><textarea name="body" rows="5" required></textarea></p><p><label><input type="checkbox" name="sendToCustomer" value="1"> Send to Customer</label> <label><input type="checkbox" name="awaitingCustomer" value="1"> Wait for the customer (pauses the SLA)</label> <button>Add comment</button></p>`,
        false,
      );
      // The page frames the emails' HTML bodies, served by our own sandboxed route.
      res.setHeader('Content-Security-Policy', `${PAGE_POLICY}; frame-src 'self'`);
      sendHtml(
        res,
        200,
        layout(
          `${incident.number}: ${incident.shortDescription}`,
          html`${flash(url)}<p>State ${incident.state}, priority ${incident.priority}, group ${incident.assignmentGroup ?? '-'}, category ${incident.category ?? '-'}, SLA due ${incident.slaDueAt}</p>
${followUpLinks(incident)}<p>Reporter: ${incident.reporter ? `${incident.reporter.name} <${incident.reporter.email}>` : `(unknown) ${incident.sender.address}`}${incident.senderAuthenticated ? '' : ' (unverified sender: nothing is mailed to it)'}</p>${externalNumbersLine(incident.externalNumbers ?? [])}${incident.forwardedBy ? html`<p>Forwarded by ${incident.forwardedBy}</p>` : ''}
${storm}<h2>Description</h2><pre>${incident.description}</pre>${emails}${participants}<h2>Thread</h2><table><tbody>${comments}</tbody></table>${slaSection(incident.sla)}${mailSent(incident, session!.csrf)}<h2>Add a comment</h2>${form}`,
        ),
      );
    },
  },
  {
    method: 'POST',
    path: '/admin/incidents/:number/lift-suppression',
    access: 'admin',
    handler: async ({ res, params, body, deps }) => {
      const back = `/admin/incidents/${encodeURIComponent(params.number)}`;
      const address = String(body.address ?? '').slice(0, 254);
      const lifted = await liftSuppression(deps.pool, address);
      redirect(res, `${back}?${lifted ? `msg=${encodeURIComponent(`automatic mail to ${address} is sent again`)}` : `err=${encodeURIComponent(`${address} is not suppressed`)}`}`);
    },
  },
  {
    method: 'POST',
    path: '/admin/incidents/:number/participants/add',
    access: 'admin',
    handler: incidentAction(async ({ params, body, session, deps }) => {
      const done = await addIncidentParticipant(deps.pool, deps.config.ticketAddress, { incidentNumber: params.number, address: body.address, name: body.name, agent: session!.user });
      return done.added ? `${done.address} is now a participant` : `${done.address} is already a participant`;
    }),
  },
  {
    method: 'POST',
    path: '/admin/incidents/:number/participants/remove',
    access: 'admin',
    handler: incidentAction(async ({ params, body, session, deps }) => {
      const address = await removeIncidentParticipant(deps.pool, params.number, body.address, session!.user);
      return `${address} is no longer a participant`;
    }),
  },
  {
    method: 'POST',
    path: '/admin/incidents/:number/comment',
    access: 'admin',
    handler: incidentAction(async ({ params, body, session, deps }) => {
      const sendToCustomer = body.sendToCustomer === '1';
      const awaitingCustomer = body.awaitingCustomer === '1';
      const id = await addAgentComment(deps.temporal, deps.pool, deps.config.temporal.taskQueue, {
        incidentNumber: params.number,
        body: String(body.body ?? ''),
        author: session!.user,
        sendToCustomer,
        awaitingCustomer,
      });
      await waitForComment(deps.pool, id, sendToCustomer, 20_000);
      return sendToCustomer ? `comment added and sent to the customer${awaitingCustomer ? ', waiting for their reply' : ''}` : 'comment added';
    }),
  },
];
