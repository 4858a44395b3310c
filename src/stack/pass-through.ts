// Passing one HTTP request on to another server unchanged, for the local stand-ins in front of moto (the
// SES event emitter, the fault run's outage proxy). `onResponse` decides what the caller hears; by
// default the answer as it came. A server that cannot be reached is a 502 with the reason.
import { IncomingMessage, request, ServerResponse } from 'node:http';

export function passThrough(target: URL, req: IncomingMessage, res: ServerResponse, onResponse?: (response: IncomingMessage) => void): void {
  const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (response) => {
    if (onResponse) return onResponse(response);
    res.writeHead(response.statusCode ?? 502, response.headers);
    response.pipe(res);
  });
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502);
    res.end(String(err.message));
  });
  req.pipe(upstream);
}
