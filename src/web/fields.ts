// Fields of a request body, checked: a wrong type or value is the caller's mistake (400 with the field's
// name), never a fault deeper down.
import { normaliseAllowlistEntry } from '../domain/allowlist';
import { HttpError } from './http-error';

export function textField(body: Record<string, unknown>, name: string, options: { required: true }): string;
export function textField(body: Record<string, unknown>, name: string, options?: { required?: boolean }): string | undefined;
export function textField(body: Record<string, unknown>, name: string, options: { required?: boolean } = {}): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) {
    if (options.required) throw new HttpError(400, `${name} is missing`);
    return undefined;
  }
  if (typeof value !== 'string') throw new HttpError(400, `${name} must be a string`);
  return value;
}

export function flagField(body: Record<string, unknown>, name: string): boolean {
  const value = body[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new HttpError(400, `${name} must be true or false`);
  return value;
}

/** An allowlist entry as the allowlist stores it, or a 400 with the allowlist's own reason. */
export function allowlistEntryField(body: Record<string, unknown>): string {
  const raw = textField(body, 'entry', { required: true });
  try {
    return normaliseAllowlistEntry(raw).value;
  } catch (err) {
    throw new HttpError(400, (err as Error).message);
  }
}
