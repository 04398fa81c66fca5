import type { FastifyInstance } from 'fastify';
import { UsageResponse } from '../../proto/gen/speech/v1/speech.js';
import type { RequestGate } from '../core/request-gate.js';

/** `GET /v1/usage`: the ledger as proto3 JSON, the same message the `Usage` RPC answers. The key is checked in rest-gate.ts. */
export async function usageRoute(app: FastifyInstance, gate: RequestGate): Promise<void> {
  app.get('/v1/usage', async () => {
    const report = gate.ledger.report();
    return UsageResponse.toJSON({ ...report, keys: report.keys.map((usage) => ({ ...usage })) });
  });
}
