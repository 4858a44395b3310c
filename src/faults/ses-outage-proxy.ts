// A pass-through proxy in front of the AWS emulator for the fault run: the worker talks to AWS through it,
// and while an SES outage is on, every SES call gets 503 ServiceUnavailable, as SES answers when it is
// down. Requests are told apart by the service in their SigV4 credential scope (".../ses/aws4_request"):
// SES goes on to the stack's SES endpoint (the delivery-event emitter, so that sends still publish their
// events), everything else to the emulator. Armed with `interruptNextSend`, it lets the next send through
// to SES and, once SES has accepted it, calls back (the fault run kills the worker there) and never answers:
// the sender dies between SES accepting its mail and learning so.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { passThrough } from '../stack/pass-through';
import { credentialScope, messageIdOf } from '../stack/ses-send-request';

export class SesOutageProxy {
  sesDown = false;
  /** SES requests refused while the outage was on. */
  refused = 0;
  private server: Server | null = null;
  private interrupt: ((sesMessageId: string) => void) | null = null;

  /** The SES message id of the next send SES accepts, which is then not answered; `onAccepted` runs first. */
  interruptNextSend(onAccepted: (sesMessageId: string) => void): void {
    this.interrupt = onAccepted;
  }

  /** `sesTarget`: where SES requests go (default: `target` too). */
  constructor(
    private readonly target: URL,
    private readonly sesTarget: URL = target,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const ses = credentialScope(req.headers.authorization)?.service === 'ses';
      if (this.sesDown && ses) {
        this.refused++;
        req.resume();
        res.writeHead(503, { 'content-type': 'text/xml' });
        res.end('<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>fault run: SES is down</Message></Error></ErrorResponse>');
        return;
      }
      passThrough(ses ? this.sesTarget : this.target, req, res, ses && this.interrupt ? (response) => this.answerUnlessAccepted(response, res) : undefined);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  disarm(): void {
    this.interrupt = null;
  }

  /** Passes SES's answer on, unless it accepts a send while armed: then the callback runs and the caller hears nothing. */
  private answerUnlessAccepted(response: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8', 0, 4096);
      const accepted = response.statusCode === 200 && text.includes('<SendRawEmailResponse') ? messageIdOf(text) : null;
      if (accepted && this.interrupt) {
        const onAccepted = this.interrupt;
        this.interrupt = null;
        onAccepted(accepted);
        res.socket?.destroy();
        return;
      }
      res.writeHead(response.statusCode ?? 502, response.headers);
      res.end(body);
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
