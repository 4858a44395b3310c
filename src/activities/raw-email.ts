// Reading a raw email from S3 within the worker's parse budget: every parse of an email, the first
// one and a reply's re-read for its comment, counts against one budget, so a worker's memory is
// bounded by it however many large emails arrive at once. One reader per worker (createActivities).
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound } from '@aws-sdk/client-s3';
import { ActivityDeps } from './deps';
import { ParseBudget } from './parse-budget';

export interface RawEmailLocation {
  bucket: string;
  key: string;
}

export class RawEmailMissingError extends Error {}
export class RawEmailTooLargeError extends Error {}

/** From this size on, a parse leaves tens of MB of buffers behind: collected at once, not whenever V8 gets to them. */
const LARGE_EMAIL_BYTES = 4 * 1024 * 1024;

export type RawEmailReader = ReturnType<typeof createRawEmailReader>;

export function createRawEmailReader({ aws, config }: ActivityDeps) {
  const budget = new ParseBudget(config.worker.parseBudgetBytes);

  async function size(at: RawEmailLocation): Promise<number> {
    let bytes;
    try {
      bytes = (await aws.s3.send(new HeadObjectCommand({ Bucket: at.bucket, Key: at.key }))).ContentLength ?? 0;
    } catch (err) {
      throw isMissing(err) ? new RawEmailMissingError(`No raw email at s3://${at.bucket}/${at.key}`) : err;
    }
    if (bytes > config.maxRawEmailBytes) throw new RawEmailTooLargeError(`Raw email is ${bytes} bytes, above the limit of ${config.maxRawEmailBytes}`);
    return bytes;
  }

  /** The raw bytes, read into one buffer of the size HEAD gave (not chunks joined at the end: half the peak). */
  async function read(at: RawEmailLocation, bytes: number): Promise<Buffer> {
    try {
      const object = await aws.s3.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.key }));
      return await readInto(object.Body as AsyncIterable<Uint8Array>, bytes);
    } catch (err) {
      throw isMissing(err) ? new RawEmailMissingError(`No raw email at s3://${at.bucket}/${at.key}`) : err;
    }
  }

  return {
    /**
     * Runs `work` once the email's size fits in the budget; from reading the bytes to the end of `work`
     * (the parse, the uploads) the email counts against it. Refused above the size limit before a byte
     * is read. `work` is given a reader rather than the bytes, so that no variable holds them past
     * the parse.
     */
    async withRawEmail<T>(at: RawEmailLocation, work: (readRaw: () => Promise<Buffer>) => Promise<T>): Promise<T> {
      const bytes = await size(at);
      return budget.run(bytes, async () => {
        try {
          return await work(() => read(at, bytes));
        } finally {
          if (bytes >= LARGE_EMAIL_BYTES) collectGarbage();
        }
      });
    },
  };
}

function isMissing(err: unknown): boolean {
  return err instanceof NoSuchKey || err instanceof NotFound || (err as { name?: string })?.name === 'NotFound';
}

/** A full collection when the worker runs with --expose-gc (the stack and the Dockerfile start it so); else nothing. */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
}

/** Reads a stream into one buffer of the expected size (grown if the object turns out larger). */
export async function readInto(body: AsyncIterable<Uint8Array>, expected: number): Promise<Buffer> {
  let out = Buffer.allocUnsafe(expected);
  let length = 0;
  for await (const chunk of body) {
    if (length + chunk.length > out.length) {
      const grown = Buffer.allocUnsafe(Math.max(out.length * 2, length + chunk.length));
      out.copy(grown, 0, 0, length);
      out = grown;
    }
    out.set(chunk, length);
    length += chunk.length;
  }
  return out.subarray(0, length);
}
