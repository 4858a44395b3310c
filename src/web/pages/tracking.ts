// The tracking page the confirmation links to: read-only, for one incident, addressed by its unguessable
// token (never by the incident number). It shows the state and the public conversation only.
import { html, layout } from '../html';
import { HttpError, Route, sendHtml } from '../server';

export const trackingRoutes: Route[] = [
  {
    method: 'GET',
    path: '/track/:token',
    access: 'public',
    handler: async ({ res, params, deps }) => {
      if (!/^[A-Za-z0-9_-]{20,64}$/.test(params.token)) throw new HttpError(404, 'No such incident');
      const { rows } = await deps.pool.query(
        'SELECT id, number, short_description, state, priority, sla_due_at, created_at FROM incidents WHERE tracking_token = $1',
        [params.token],
      );
      const incident = rows[0];
      if (!incident) throw new HttpError(404, 'No such incident');
      // Internal agent notes and system notes stay internal: only what the customer saw or wrote.
      const comments = await deps.pool.query(
        `SELECT author, body, source, created_at FROM incident_comments
         WHERE incident_id = $1 AND (source = 'email' OR (source = 'agent' AND sent_to_customer)) ORDER BY id`,
        [incident.id],
      );
      const rowsHtml = comments.rows.map((c) => html`<tr><td>${c.created_at.toISOString()}</td><td>${c.source === 'email' ? 'You' : 'Support'}</td><td><pre>${c.body}</pre></td></tr>`);
      sendHtml(
        res,
        200,
        layout(
          `${incident.number}: ${incident.short_description}`,
          html`<p>State: <strong>${incident.state}</strong>. Priority ${incident.priority}. Opened ${incident.created_at.toISOString()}; target resolution ${incident.sla_due_at.toISOString()}.</p><table><tbody>${rowsHtml}</tbody></table><p>Reply to our email to add information.</p>`,
          false,
        ),
      );
    },
  },
];
