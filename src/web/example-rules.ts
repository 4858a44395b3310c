// The rules the rule pages offer as a start for a new one.

export const EXAMPLE_ROUTING_RULE = {
  ruleId: 'network-vpn',
  position: 10,
  enabled: true,
  conditions: [{ field: 'subject', operator: 'contains', value: 'VPN' }],
  assignmentGroup: 'Network',
  category: 'Network',
  priority: 2,
  escalationAddress: 'network-oncall@example.com',
};

// Restricted to a sender, since anyone can write an alert-shaped subject and a parsing rule opens and
// resolves incidents; and named apart from the default rules (parsing-rules install-defaults).
export const EXAMPLE_PARSING_RULE = {
  ruleId: 'my-nagios-alerts',
  position: 10,
  enabled: true,
  name: 'Nagios service alert from our monitoring host',
  match: { senderContains: '@monitoring.example.com', subjectRegex: '^\\*\\* (PROBLEM|RECOVERY)' },
  fields: [
    { name: 'host', source: 'body', regex: 'Host: (?P<value>[^\\n]+)' },
    { name: 'service', source: 'body', regex: 'Service: (?P<value>[^\\n]+)' },
    { name: 'state', source: 'body', regex: 'State: (?P<value>[A-Z]+)' },
  ],
  severityField: 'state',
  severityMap: { CRITICAL: 1, WARNING: 3 },
};
