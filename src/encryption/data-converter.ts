// The one data converter of every process that talks to Temporal (worker, bridge, CLI, admin page, the
// replay tests): payloads, and failure messages and stack traces, encrypted with the configured keys.
import type { DataConverter } from '@temporalio/common';
import type { KeyRing } from './key-ring';
import { EncryptionCodec } from './payload-codec';

export const encryptingDataConverter = (keys: KeyRing): DataConverter => ({
  payloadCodecs: [new EncryptionCodec(keys)],
  failureConverterPath: require.resolve('./failure-converter'),
});
