// Every workflow the worker registers. Deterministic code only: no I/O, no Node APIs.
export { inboundEmail, statusQuery, releaseSignal, discardSignal } from './inbound-email';
export type { InboundEmailInput } from './inbound-email';
export { incidentThread, threadEventSignal, threadQuery } from './incident-thread';
export type { IncidentThreadInput } from './incident-thread';
