// A pass-through proxy in front of the AWS emulator for the fault run: the worker talks to AWS through it,
// and while an SES outage is on, every SES call gets 503 ServiceUnavailable, as SES answers when it is
// down. Requests are told apart by the service in their SigV4 credential scope (".../ses/aws4_request"):
// SES goes on to the stack's SES endpoint (the delivery-event emitter, so that sends still publish their
// events), everything else to the emulator.
import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export class SesOutageProxy {
  sesDown = false;
  /** SES requests refused while the outage was on. */
  refused = 0;
  private server: Server | null = null;

  /** `sesTarget`: where SES requests go (default: `target` too). */
  constructor(
    private readonly target: URL,
    private readonly sesTarget: URL = target,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const ses = /\/ses\/aws4_request/.test(req.headers.authorization ?? '');
      if (this.sesDown && ses) {
        this.refused++;
        req.resume();
        res.writeHead(503, { 'content-type': 'text/xml' });
        res.end('<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>fault run: SES is down</Message></Error></ErrorResponse>');
        return;
      }
      const target = ses ? this.sesTarget : this.target;
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (response) => {
          res.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(res);
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err.message));
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
