// The codec server (Temporal's remote data encoding protocol): the Temporal Web UI posts the payloads it
// shows to /codec/decode and gets them back decrypted, so an operator signed in to the admin page reads
// the emails' workflows in plain text while Temporal stores them encrypted. /codec/encode is the
// reverse (the UI encodes what an operator types, e.g. a signal's input).
import type { Payload } from '@temporalio/common';
import { EncryptionCodec, UnknownKeyError } from '../encryption/payload-codec';
import { HttpError, Route, sendJson } from './server';

/** A payload as the protocol carries it: proto JSON, bytes as base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const MAX_PAYLOADS = 1000;

function fromJson(body: Record<string, unknown>): Payload[] {
  const payloads = body.payloads;
  if (!Array.isArray(payloads) || payloads.length > MAX_PAYLOADS) throw new HttpError(400, `Expected { "payloads": [...] } with at most ${MAX_PAYLOADS} payloads`);
  return payloads.map((p: JsonPayload) => {
    if (typeof p !== 'object' || p === null) throw new HttpError(400, 'A payload is not an object');
    const metadata: Record<string, Uint8Array> = {};
    for (const [key, value] of Object.entries(p.metadata ?? {})) {
      if (typeof value !== 'string') throw new HttpError(400, `Payload metadata "${key}" is not base64 text`);
      metadata[key] = new Uint8Array(Buffer.from(value, 'base64'));
    }
    if (p.data !== undefined && typeof p.data !== 'string') throw new HttpError(400, 'Payload data is not base64 text');
    return { metadata, data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')) };
  });
}

const toJson = (payloads: Payload[]): JsonPayload[] =>
  payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  }));

function codecRoute(direction: 'encode' | 'decode'): Route {
  return {
    method: 'POST',
    path: `/codec/${direction}`,
    access: 'operator',
    handler: async ({ req, res, body, deps }) => {
      const namespace = req.headers['x-namespace'];
      // Our keys are for our namespace only.
      if (typeof namespace === 'string' && namespace !== deps.config.temporal.namespace) throw new HttpError(403, `Not the namespace of this codec: ${namespace}`);
      const codec = new EncryptionCodec(deps.config.customerData.payloadKeys);
      try {
        const payloads = fromJson(body);
        sendJson(res, 200, { payloads: toJson(await codec[direction](payloads)) });
      } catch (err) {
        if (err instanceof HttpError) throw err;
        // A payload of an unknown key or one that does not authenticate is the caller's problem, not a 500.
        throw new HttpError(400, err instanceof UnknownKeyError ? err.message : `Cannot ${direction} the payloads: ${(err as Error).message}`);
      }
    },
  };
}

export const codecRoutes: Route[] = [codecRoute('encode'), codecRoute('decode')];
