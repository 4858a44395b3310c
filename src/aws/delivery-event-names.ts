// The delivery feedback's topic and queues: made by `setup` (provision.ts) and by the CDK app alike.
export const DELIVERY_EVENTS = { topicName: 'stackflow-delivery-events', queueName: 'stackflow-delivery-events', deadLetterQueueName: 'stackflow-delivery-events-dlq' };
