// The tracking page the confirmation links to: read-only, for one incident, addressed by its unguessable
// token (never by the incident number). It shows the state and the public conversation only.
import { publicConversation, trackedIncident } from '../../db/tracking';
import { customerStateWording } from '../../domain/incident-state';
import { trackingTokenDigest } from '../../encryption/keyed-hash';
import { html, layout } from '../html';
import { HttpError, Route, sendHtml } from '../server';

/** While we wait for the customer the SLA clock is paused: a due time would be a promise we do not keep. */
const targetWording = (state: string, dueAt: Date) =>
  state === 'awaiting-customer' ? 'the target resolution time is paused until you reply' : `target resolution ${dueAt.toISOString()}`;

export const trackingRoutes: Route[] = [
  {
    method: 'GET',
    path: '/track/:token',
    access: 'public',
    handler: async ({ res, params, deps }) => {
      if (!/^[A-Za-z0-9_-]{20,64}$/.test(params.token)) throw new HttpError(404, 'No such incident');
      const incident = await trackedIncident(deps.pool, trackingTokenDigest(params.token));
      if (!incident) throw new HttpError(404, 'No such incident');
      const comments = await publicConversation(deps.pool, incident);
      const rowsHtml = comments.map((c) => html`<tr><td>${c.createdAt.toISOString()}</td><td>${c.source === 'email' ? 'You' : 'Support'}</td><td><pre>${c.body}</pre></td></tr>`);
      sendHtml(
        res,
        200,
        layout(
          `${incident.number}: ${incident.shortDescription}`,
          html`<p>State: <strong>${customerStateWording(incident.state)}</strong>. Priority ${incident.priority}. Opened ${incident.createdAt.toISOString()}; ${targetWording(incident.state, incident.slaDueAt)}.</p><table><tbody>${rowsHtml}</tbody></table><p>Reply to our email to add information.</p>`,
          false,
        ),
      );
    },
  },
];
