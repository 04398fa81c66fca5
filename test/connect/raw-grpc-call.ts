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

/** Sends arbitrary bytes as a gRPC request message and reads the status grpc-js sees. */
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
