import { ServiceError } from '../servers/core/service-error.js';
import { isStatusCodeName, type StatusCodeName } from '../servers/core/status-codes.js';
import { describeTlsError } from './tls-errors.js';

/** When a body carries no `{code}` (a proxy answered, say), the status decides, as grpc-gateway's clients do. */
const codeByHttpStatus: Record<number, StatusCodeName> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  413: 'RESOURCE_EXHAUSTED',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function errorFromHttpBody(status: number, body: string): ServiceError {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'code' in parsed && isStatusCodeName(parsed.code)) {
      const message = 'message' in parsed && typeof parsed.message === 'string' ? parsed.message : '';
      return new ServiceError(parsed.code, message);
    }
  } catch {
    // not JSON: fall through to the status
  }
  return new ServiceError(codeByHttpStatus[status] ?? 'UNKNOWN', `HTTP ${status}: ${body.slice(0, 200)}`);
}

/** Socket-level failures as the codes grpc-js gives for the same events. */
export function errorFromTransport(error: Error, deadlineHit: boolean): ServiceError {
  if (deadlineHit) return new ServiceError('DEADLINE_EXCEEDED', 'deadline exceeded');
  const tlsProblem = describeTlsError(error);
  if (tlsProblem !== undefined) return new ServiceError('UNAVAILABLE', tlsProblem);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ENOTFOUND') {
    return new ServiceError('UNAVAILABLE', `connection failed: ${error.message}`);
  }
  return new ServiceError('UNAVAILABLE', error.message);
}
