import type { ServiceDefinition } from '@grpc/grpc-js';
import { SpeechServiceService } from '../../proto/gen/speech/v1/speech.js';
import { guardDeserializer, measuredSerializer } from './decode-guard.js';

/**
 * The generated service definition, with every request deserializer guarded, and every
 * serializer noting the size it produced (for the usage ledger, without a second encode).
 */
export const guardedSpeechServiceDefinition: ServiceDefinition = Object.fromEntries(
  Object.entries(SpeechServiceService).map(([name, method]) => [
    name,
    {
      ...method,
      requestDeserialize: guardDeserializer(method.requestDeserialize as (b: Buffer) => unknown),
      responseSerialize: measuredSerializer(method.responseSerialize as (m: unknown) => Buffer),
    },
  ]),
);
