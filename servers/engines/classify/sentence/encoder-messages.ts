/** What the sentence encoder's thread and its owner say to each other. */

export interface EncoderRequest {
  readonly id: number;
  readonly texts: readonly string[];
}

export type EncoderReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'vectors'; readonly id: number; readonly vectors: readonly Float32Array[] }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };
