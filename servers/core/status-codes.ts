/**
 * The one table of status codes shared by every protocol: gRPC's canonical codes,
 * and the HTTP status grpc-gateway maps each of them to.
 */
export const StatusCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type StatusCodeName = keyof typeof StatusCode;

const httpStatusByCode: Record<StatusCodeName, number> = {
  OK: 200,
  CANCELLED: 499,
  UNKNOWN: 500,
  INVALID_ARGUMENT: 400,
  DEADLINE_EXCEEDED: 504,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  ABORTED: 409,
  OUT_OF_RANGE: 400,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DATA_LOSS: 500,
  UNAUTHENTICATED: 401,
};

const codeNameByNumber = new Map<number, StatusCodeName>(
  Object.entries(StatusCode).map(([name, value]) => [value, name as StatusCodeName]),
);

export function httpStatusOf(code: StatusCodeName): number {
  return httpStatusByCode[code];
}

export function codeNameOf(code: number): StatusCodeName {
  return codeNameByNumber.get(code) ?? 'UNKNOWN';
}

export function isStatusCodeName(value: unknown): value is StatusCodeName {
  return typeof value === 'string' && Object.hasOwn(StatusCode, value);
}
