// The bridge's Prometheus metrics: messages received, workflows started, duplicates, dead-lettered,
// ignored and retried, and the lag from the message being sent to the bridge receiving it; the same
// counts for the delivery-events queue.
import { createServer, Server } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MessageResult } from './message-results';

export class BridgeMetrics {
  readonly registry = new Registry();
  private readonly messages = new Counter({
    name: 'email_to_ticket_bridge_messages_total',
    help: 'queue messages by what the bridge did with them',
    labelNames: ['result'],
    registers: [this.registry],
  });
  private readonly lag = new Histogram({
    name: 'email_to_ticket_bridge_lag_seconds',
    help: 'seconds from a message being sent to the queue to the bridge receiving it',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  private readonly deliveryEventMessages = new Counter({
    name: 'email_to_ticket_bridge_delivery_events_total',
    help: 'delivery-event queue messages (SES events about our mail) by what the bridge did with them',
    labelNames: ['result'],
    registers: [this.registry],
  });

  /** The delivery-events queue's counts; its lag is not observed (SES publishes minutes after a send by nature). */
  readonly deliveryEvents = {
    count: (result: MessageResult) => this.deliveryEventMessages.inc({ result }),
    observeLag: () => undefined,
  };

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'email_to_ticket_bridge_' });
  }

  count(result: MessageResult): void {
    this.messages.inc({ result });
  }

  observeLag(sentTimestampMs: number): void {
    this.lag.observe(Math.max(0, (Date.now() - sentTimestampMs) / 1000));
  }

  /** Serves /metrics at host:port. */
  serve(address: string): Server {
    const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
    const server = createServer(async (req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': this.registry.contentType });
      res.end(await this.registry.metrics());
    });
    return server.listen(port, host);
  }
}
