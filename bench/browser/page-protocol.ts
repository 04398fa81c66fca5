/**
 * What the harness and the benchmark page say to each other (page.evaluate): the call to
 * make, the closed loop to run, and what the page sends back. Plain JSON both ways.
 */
import type { RequestCounts } from '../accounting/request-counts.js';
import type { TimelineBucket } from '../load/load-result.js';

/** How the page calls: fetch for REST, connect-web's two transports for the others. */
export type PageProtocol = 'rest-json' | 'rest-raw' | 'connect-json' | 'connect-proto' | 'grpc-web';

export type PageRpc = 'classify' | 'transcribe' | 'transcribe-and-classify';

export interface PageCall {
  readonly protocol: PageProtocol;
  /** The server under test, e.g. `http://127.0.0.1:8082`. */
  readonly baseUrl: string;
  readonly rpc: PageRpc;
  /** REST: the request as fetch sends it (the body in base64). */
  readonly rest?: { readonly path: string; readonly contentType: string; readonly bodyBase64: string };
  /** Connect and gRPC-Web: the request message in protobuf (base64); connect-web encodes it its way. */
  readonly messageBase64: string;
  readonly apiKey?: string;
  readonly timeoutMs: number;
}

export interface PageRun extends PageCall {
  /** Calls in flight at once (each its own loop: send, await the answer, send again). */
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

/** One call's end: `OK` or a gRPC code name (a call past its deadline: DEADLINE_EXCEEDED). */
export interface PageOutcome {
  readonly code: string;
  /** The answer as proto3 JSON (OK only). */
  readonly answerJson?: string;
  /** The error's message, where the client gave one. */
  readonly message?: string;
}

export interface PageResult {
  readonly counts: RequestCounts;
  /** LatencyHistogram's encoding (HDR compressed base64, µs), timed with performance.now(). */
  readonly histogram: string;
  readonly durationMs: number;
  readonly timeline: readonly TimelineBucket[];
  /** The smallest step performance.now() was seen to take, in µs. */
  readonly timerResolutionUs: number;
  /** Cross-origin isolated pages get the finer timer (Chromium: 5 µs instead of 100 µs). */
  readonly crossOriginIsolated: boolean;
  /** The first right-looking answer of the window, for the harness to check. */
  readonly sampleAnswerJson?: string;
  readonly userAgent: string;
}

/** The streaming RPC from a page, half-duplex: every request message in one fetch body. */
export interface PageStream {
  readonly protocol: 'connect-proto' | 'grpc-web';
  readonly baseUrl: string;
  /** StreamingTranscribeRequest messages in protobuf (base64): the config, then the audio chunks. */
  readonly messagesBase64: readonly string[];
  readonly timeoutMs: number;
}

export interface PageStreamResult {
  readonly httpStatus: number;
  /** `OK` or the code the stream ended with (UNKNOWN when it had no end: a refusal by HTTP status). */
  readonly code: string;
  readonly messages: number;
  /** From the fetch call to the first answer message, and to the end of the answer. */
  readonly firstMessageMs: number;
  readonly endMs: number;
  readonly finalTranscript: string;
}
