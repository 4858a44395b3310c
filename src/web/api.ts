// The HTTP API: the admin page's actions as JSON, for scripts. Bearer token only (a browser never sends
// one by itself, so no CSRF), JSON bodies only; a wrong field or an unknown item answers 4xx with why.
import { withIncidentMail } from '../operations/outbound-mail-view';
import { withIncidentSla } from '../operations/sla-view';
import { addToAllowlist, listAllowlist, removeFromAllowlist } from '../db/directory';
import { getIncident, listIncidents } from '../db/incidents';
import { listInboundEmails } from '../db/inbound-emails';
import { addAgentComment } from '../operations/incident-thread';
import { addIncidentParticipant, incidentParticipants, removeIncidentParticipant } from '../operations/participants';
import { discardQuarantined, releaseQuarantined } from '../operations/quarantine';
import { incidentEmails } from '../operations/incident-emails';
import { API_AUDIENCE } from './email-part-links';
import { API_PARTS_PATH, emailsWithLinks, partLinks } from './pages/incident-emails';
import { allowlistEntryField, flagField, textField } from './fields';
import { HttpError, Route, sendJson } from './server';

const api = (method: Route['method'], path: string, handler: Route['handler']): Route => ({ method, path, access: 'api', handler });

export const apiRoutes: Route[] = [
  api('GET', '/api/quarantine', async ({ res, deps }) => sendJson(res, 200, await listInboundEmails(deps.pool, 'quarantined'))),
  api('POST', '/api/quarantine/:id/release', async ({ res, params, body, deps }) => {
    const options = { allowlistSender: flagField(body, 'allowlistSender'), override: flagField(body, 'override') };
    sendJson(res, 200, { done: await releaseQuarantined(deps.temporal, deps.pool, params.id, options) });
  }),
  api('POST', '/api/quarantine/:id/discard', async ({ res, params, body, deps }) => {
    await discardQuarantined(deps.temporal, params.id, textField(body, 'reason')?.slice(0, 500));
    sendJson(res, 200, { done: [`discarded ${params.id}`] });
  }),
  api('GET', '/api/allowlist', async ({ res, deps }) => sendJson(res, 200, await listAllowlist(deps.pool))),
  api('POST', '/api/allowlist', async ({ res, body, deps }) => sendJson(res, 200, { added: await addToAllowlist(deps.pool, allowlistEntryField(body)) })),
  api('POST', '/api/allowlist/remove', async ({ res, body, deps }) => sendJson(res, 200, { removed: await removeFromAllowlist(deps.pool, allowlistEntryField(body)) })),
  api('GET', '/api/incidents', async ({ res, deps }) => sendJson(res, 200, await listIncidents(deps.pool, 200))),
  api('GET', '/api/incidents/:number', async ({ res, params, deps }) => {
    const incident = await getIncident(deps.pool, params.number);
    if (!incident) throw new HttpError(404, `No incident ${params.number}`);
    const emails = emailsWithLinks(await incidentEmails(deps.pool, deps.aws, incident.number), partLinks(deps.config.customerData.hashKey, API_AUDIENCE, API_PARTS_PATH));
    sendJson(res, 200, { ...(await withIncidentSla(deps.pool, await withIncidentMail(deps.pool, incident))), ...emails });
  }),
  api('POST', '/api/incidents/:number/comments', async ({ res, params, body, deps }) => {
    const id = await addAgentComment(deps.temporal, deps.pool, deps.config.temporal.taskQueue, {
      incidentNumber: params.number,
      body: textField(body, 'body', { required: true }),
      author: textField(body, 'author')?.trim().slice(0, 100) || 'API',
      sendToCustomer: flagField(body, 'sendToCustomer'),
      awaitingCustomer: flagField(body, 'awaitingCustomer'),
      id: textField(body, 'id')?.slice(0, 100),
    });
    sendJson(res, 202, { id });
  }),
  api('GET', '/api/incidents/:number/participants', async ({ res, params, deps }) => sendJson(res, 200, await incidentParticipants(deps.pool, params.number))),
  api('POST', '/api/incidents/:number/participants', async ({ res, params, body, deps }) => {
    const done = await addIncidentParticipant(deps.pool, deps.config.ticketAddress, {
      incidentNumber: params.number,
      address: textField(body, 'address', { required: true }),
      name: textField(body, 'name'),
      agent: textField(body, 'author')?.trim().slice(0, 100) || 'API',
    });
    sendJson(res, done.added ? 201 : 200, done);
  }),
  api('DELETE', '/api/incidents/:number/participants/:address', async ({ res, params, deps }) => {
    sendJson(res, 200, { address: await removeIncidentParticipant(deps.pool, params.number, params.address, 'API'), removed: true });
  }),
];
