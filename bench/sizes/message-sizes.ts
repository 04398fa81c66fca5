/** The bytes one message takes in each encoding, plain and gzipped. */
import { gzipSync } from 'node:zlib';
import type { MessageCase } from './message-case.js';

/** zlib's default (Z_DEFAULT_COMPRESSION means level 6): what a server gets without tuning. */
export const GZIP_LEVEL = 6;

export interface MessageSizes {
  readonly protobuf: number;
  /** UTF-8 bytes of the JSON text. */
  readonly json: number;
  readonly gzipProtobuf: number;
  readonly gzipJson: number;
  /** 1 - protobuf / json: the share protobuf saves; negative when it is larger. */
  readonly protobufSaving: number;
  /** The same after gzip on both sides. */
  readonly gzipProtobufSaving: number;
}

export function gzipBytes(data: Uint8Array | string): number {
  return gzipSync(data, { level: GZIP_LEVEL }).length;
}

export function measureSizes(message: MessageCase): MessageSizes {
  const protobuf = message.encodeProtobuf();
  const json = Buffer.from(message.encodeJson(), 'utf8');
  const gzipProtobuf = gzipBytes(protobuf);
  const gzipJson = gzipBytes(json);
  return {
    protobuf: protobuf.length,
    json: json.length,
    gzipProtobuf,
    gzipJson,
    protobufSaving: 1 - protobuf.length / json.length,
    gzipProtobufSaving: 1 - gzipProtobuf / gzipJson,
  };
}
