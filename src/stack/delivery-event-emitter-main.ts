// The local stack's SES endpoint (`ses-events`): the delivery-event emitter in front of moto.
//   SES_EVENTS_PORT      the port it listens on, on 127.0.0.1 (default 4567)
//   SES_EVENTS_UPSTREAM  moto's URL, where every request goes (required)
//   AWS_REGION           the region of its own SES and SNS calls to moto (default us-east-1)
import { createLogger } from '../logger';
import { announceReady } from '../ready-file';
import { DeliveryEventEmitter } from './delivery-event-emitter';

async function main(): Promise<void> {
  const log = createLogger('ses-events');
  const upstream = process.env.SES_EVENTS_UPSTREAM;
  if (!upstream) throw new Error('Missing configuration SES_EVENTS_UPSTREAM (the AWS emulator\'s URL)');
  const port = Number(process.env.SES_EVENTS_PORT ?? 4567);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Malformed SES_EVENTS_PORT="${process.env.SES_EVENTS_PORT}": expected a TCP port`);
  const emitter = new DeliveryEventEmitter({ upstream: new URL(upstream), region: process.env.AWS_REGION ?? 'us-east-1', log });
  const url = await emitter.start(port);
  const stop = () => {
    void emitter.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.info({ url, upstream }, `ses-events ready on ${url}, forwarding to ${upstream}`);
  announceReady();
}

main().catch((err: Error) => {
  console.error(`ses-events: ${err.message}`);
  process.exit(1);
});
