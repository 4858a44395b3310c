// Incidents: the list, one incident's thread, and an agent comment with "Send to Customer".
import { getIncident, listIncidents } from '../../db/incidents';
import { addAgentComment, waitForComment } from '../../operations/incident-thread';
import { html, layout, postForm } from '../html';
import { flash, HttpError, redirect, Route, sendHtml } from '../server';

export const incidentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/admin/incidents',
    access: 'admin',
    handler: async ({ res, deps }) => {
      const incidents = await listIncidents(deps.pool, 200);
      const rows = incidents.map(
        (i) => html`<tr><td><a href="/admin/incidents/${i.number}">${i.number}</a></td><td>${i.state}</td><td>P${i.priority}</td><td>${i.assignmentGroup ?? '-'}</td><td>${i.reporter?.name ?? i.sender.address}</td><td>${i.shortDescription}</td><td>${i.createdAt}</td></tr>`,
      );
      sendHtml(res, 200, layout('Incidents', html`<table><thead><tr><th>Number</th><th>State</th><th>Priority</th><th>Group</th><th>Reporter</th><th>Short description</th><th>Created</th></tr></thead><tbody>${rows}</tbody></table>`));
    },
  },
  {
    method: 'GET',
    path: '/admin/incidents/:number',
    access: 'admin',
    handler: async ({ res, url, params, session, deps }) => {
      const incident = await getIncident(deps.pool, params.number);
      if (!incident) throw new HttpError(404, `No incident ${params.number}`);
      // An unverified reply may be anyone's words in the customer's name: said so beside it.
      const comments = incident.comments.map(
        (c) => html`<tr><td>${c.createdAt}</td><td>${c.source}${c.unverified ? ' (unverified sender)' : ''}</td><td>${c.author}</td><td><pre>${c.body}</pre></td></tr>`,
      );
      const form = postForm(
        `/admin/incidents/${incident.number}/comment`,
        session!.csrf,
        html`<p><textarea name="body" rows="5" required></textarea></p><p><label><input type="checkbox" name="sendToCustomer" value="1"> Send to Customer</label> <button>Add comment</button></p>`,
        false,
      );
      sendHtml(
        res,
        200,
        layout(
          `${incident.number}: ${incident.shortDescription}`,
          html`${flash(url)}<p>State ${incident.state}, priority ${incident.priority}, group ${incident.assignmentGroup ?? '-'}, category ${incident.category ?? '-'}, SLA due ${incident.slaDueAt}</p>
<p>Reporter: ${incident.reporter ? `${incident.reporter.name} <${incident.reporter.email}>` : `(unknown) ${incident.sender.address}`}${incident.senderAuthenticated ? '' : ' (unverified sender: nothing is mailed to it)'}</p>
<h2>Description</h2><pre>${incident.description}</pre><h2>Thread</h2><table><tbody>${comments}</tbody></table><h2>Add a comment</h2>${form}`,
        ),
      );
    },
  },
  {
    method: 'POST',
    path: '/admin/incidents/:number/comment',
    access: 'admin',
    handler: async ({ res, params, body, session, deps }) => {
      const back = `/admin/incidents/${encodeURIComponent(params.number)}`;
      try {
        const sendToCustomer = body.sendToCustomer === '1';
        const id = await addAgentComment(deps.temporal, deps.pool, deps.config.temporal.taskQueue, {
          incidentNumber: params.number,
          body: String(body.body ?? ''),
          author: session!.user,
          sendToCustomer,
        });
        await waitForComment(deps.pool, id, sendToCustomer, 20_000);
        redirect(res, `${back}?msg=${encodeURIComponent(sendToCustomer ? 'comment added and sent to the customer' : 'comment added')}`);
      } catch (err) {
        redirect(res, `${back}?err=${encodeURIComponent((err as Error).message)}`);
      }
    },
  },
];
