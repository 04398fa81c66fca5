import {
  type Client,
  credentials,
  Metadata,
  makeGenericClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { codeNameOf } from '../../servers/core/status-codes.js';

export interface RawStatus {
  readonly code: string;
  readonly details: string;
}

/** Sends arbitrary bytes as a gRPC request message, bypassing every serializer; the status grpc-js sees. */
export function grpcRawStatus(port: number, path: string, body: Buffer): Promise<RawStatus> {
  const Raw = makeGenericClientConstructor({}, 'Raw');
  const client: Client = new Raw(`127.0.0.1:${port}`, credentials.createInsecure(), {
    'grpc.max_send_message_length': -1,
  });
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (value: Buffer) => value,
      (value: Buffer) => value,
      body,
      new Metadata(),
      { deadline: Date.now() + 10_000 },
      (error: ServiceError | null) => {
        client.close();
        resolve(
          error ? { code: codeNameOf(error.code), details: error.details } : { code: 'OK', details: '' },
        );
      },
    );
  });
}

/** The status code alone. */
export async function grpcRawUnary(port: number, path: string, body: Buffer): Promise<string> {
  return (await grpcRawStatus(port, path, body)).code;
}

export interface RawHttpAnswer {
  readonly status: number;
  readonly code: string | undefined;
}

/** Sends an arbitrary HTTP request body and reads the `{code}` of the answer. */
export async function restRaw(
  port: number,
  path: string,
  body: string | Buffer,
  contentType = 'application/json',
): Promise<RawHttpAnswer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await response.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { code?: string }).code;
  } catch {
    code = undefined;
  }
  return { status: response.status, code };
}
