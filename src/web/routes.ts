// Every route of the admin page, the API and the tracking page.
import { parseRoutingRule } from '../domain/routing-rules';
import { parseParsingRule } from '../domain/parsing-rules';
import { apiRoutes } from './api';
import { EXAMPLE_PARSING_RULE, EXAMPLE_ROUTING_RULE } from './example-rules';
import { codecRoutes } from './codec';
import { allowlistRoutes } from './pages/allowlist';
import { healthRoutes } from './pages/health';
import { incidentEmailRoutes } from './pages/incident-emails';
import { incidentRoutes } from './pages/incidents';
import { quarantineRoutes } from './pages/quarantine';
import { ruleRoutes } from './pages/rules';
import { signInRoutes } from './pages/sign-in';
import { trackingRoutes } from './pages/tracking';
import { Route } from './server';
import { Sessions } from './session';

export function allRoutes(sessions: Sessions): Route[] {
  return [
    ...signInRoutes(sessions),
    ...healthRoutes,
    ...quarantineRoutes,
    ...allowlistRoutes,
    ...ruleRoutes({
      slug: 'routing-rules',
      title: 'Routing rules',
      help: 'Rules run in order of position; all conditions of a rule must match. Fields: sender, recipient, subject, or header:<Name>. Operators: contains, not_contains, equals, starts_with, ends_with, any_of, regex. Actions: assignmentGroup, category, priority (1-5), escalationAddress (one email address: where SLA warnings and breaches of its incidents are emailed), ignore. stopAfterMatch ends the run.',
      table: (deps) => deps.config.routingRuleTable,
      validate: parseRoutingRule,
      example: EXAMPLE_ROUTING_RULE,
      columns: [{ title: 'Escalation address', attribute: 'escalationAddress' }],
    }),
    ...ruleRoutes({
      slug: 'parsing-rules',
      title: 'Parsing rules',
      help: 'A parsing rule recognises structured mail (a monitoring alert) by sender and subject and extracts fields with regular expressions (RE2 syntax: they run in linear time). host, service and state are known fields: a new alert for a host/service with an open incident is added to it; a recovery closes it.',
      table: (deps) => deps.config.parsingRuleTable,
      validate: parseParsingRule,
      example: EXAMPLE_PARSING_RULE,
    }),
    ...incidentRoutes,
    ...incidentEmailRoutes,
    ...trackingRoutes,
    ...apiRoutes,
    ...codecRoutes,
  ];
}
