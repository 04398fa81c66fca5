import type { ServiceDefinition } from '@grpc/grpc-js';
import { SpeechServiceService } from '../../proto/gen/speech/v1/speech.js';
import { guardDeserializer } from './decode-guard.js';

/** The generated service definition, with every request deserializer guarded. */
export const guardedSpeechServiceDefinition: ServiceDefinition = Object.fromEntries(
  Object.entries(SpeechServiceService).map(([name, method]) => [
    name,
    { ...method, requestDeserialize: guardDeserializer(method.requestDeserialize as (b: Buffer) => unknown) },
  ]),
);
