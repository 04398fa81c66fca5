/** The streaming scenario's public face, for the suite to wire in. */
export type { StreamingAudio } from './audio-chunks.js';
export { clipAudio, linear16Config } from './clip-audio.js';
export type { ByteCounts } from './counting-relay.js';
export type { StreamingPace } from './pace.js';
export {
  runStreamingScenario,
  type StreamingScenarioOptions,
  streamingLimits,
} from './run-streaming-scenario.js';
export type { ResponseCounts, StreamOutcome, StreamRecord } from './stream-record.js';
export type { StreamingProtocol } from './stream-transport.js';
export { accountingProblems, type LatencySummary, type StreamingScenarioResult } from './streaming-result.js';
