// The admin page's /healthz (alive) and /readyz (PostgreSQL and Temporal answer), as the worker's and
// the bridge's health endpoints say it (src/health/health-server.ts).
import { databaseAnswers } from '../../db/pool';
import { readiness } from '../../health/health-server';
import { temporalAnswers } from '../../temporal-connection';
import { Route, sendJson } from '../server';

export const healthRoutes: Route[] = [
  {
    method: 'GET',
    path: '/healthz',
    access: 'public',
    handler: async ({ res }) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
    },
  },
  {
    method: 'GET',
    path: '/readyz',
    access: 'public',
    handler: async ({ res, deps }) => {
      const result = await readiness({
        postgres: () => databaseAnswers(deps.pool),
        temporal: () => temporalAnswers(deps.temporal.connection),
      });
      sendJson(res, result.ready ? 200 : 503, result);
    },
  },
];
