import type { Metadata } from '@grpc/grpc-js';
import type { UsageResponse } from '../../proto/gen/speech/v1/speech.js';
import type { PresentedCredentials } from '../core/api-keys.js';
import type { RequestGate } from '../core/request-gate.js';

function first(metadata: Metadata, name: string): string | undefined {
  const value = metadata.get(name)[0];
  return typeof value === 'string' ? value : undefined;
}

/** The API key as gRPC carries it: `authorization: Bearer KEY` or `x-api-key: KEY` metadata. */
export function credentialsOf(metadata: Metadata): PresentedCredentials {
  return { authorization: first(metadata, 'authorization'), apiKey: first(metadata, 'x-api-key') };
}

/** The ledger as the `Usage` RPC answers it; the caller needs a valid key when keys are on. */
export function usageAnswer(gate: RequestGate, metadata: Metadata): UsageResponse {
  gate.authenticate(credentialsOf(metadata));
  const report = gate.ledger.report();
  return { ...report, keys: report.keys.map((usage) => ({ ...usage })) };
}
