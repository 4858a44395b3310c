// The workflows and their contract (contracts.ts): the worker bundles this module, and every caller
// imports from it. Deterministic code only: no I/O, no Node APIs.
export { inboundEmail } from './inbound-email';
export { incidentThread } from './incident-thread';
export { reconciliation } from './reconciliation';
export { deliveryFeedback } from './delivery-feedback';
export { incidentSla } from './incident-sla';
export { slaReplan } from './sla-replan';
export { alertKey } from './alert-key';
export { alertStorm } from './alert-storm';
export * from './contracts';
export * from './versions';
