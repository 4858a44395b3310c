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
        'SELECT id, number, short_description, state, priority, sla_due_at, created_at, sender_address, reporter_email FROM incidents WHERE tracking_token = $1',
        [params.token],
      );
      const incident = rows[0];
      if (!incident) throw new HttpError(404, 'No such incident');
      // Only what the customer wrote or was sent: never internal comments, notes, or mail that others
      // (agents, participants) wrote to the ticket address.
      const own = [incident.sender_address, incident.reporter_email].filter(Boolean).map((a: string) => a.toLowerCase());
      const comments = await deps.pool.query(
        `SELECT author, body, source, created_at FROM incident_comments
         WHERE incident_id = $1 AND (source = 'agent' AND sent_to_customer
           OR source = 'email' AND (lower(author) = ANY($2::text[]) OR lower(author) LIKE ANY (SELECT '%<' || a || '>' FROM unnest($2::text[]) a)))
         ORDER BY id`,
        [incident.id, own],
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
