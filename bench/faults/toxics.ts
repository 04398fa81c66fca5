import { bandwidthToxic } from './bandwidth-toxic.js';
import type { FaultSpec } from './fault-spec.js';
import { latencyToxic } from './latency-toxic.js';
import { limitDataToxic } from './limit-data-toxic.js';
import { resetPeerToxic } from './reset-peer-toxic.js';
import { slicerToxic } from './slicer-toxic.js';
import { slowCloseToxic } from './slow-close-toxic.js';
import { timeoutToxic } from './timeout-toxic.js';
import type { ToxicFactory } from './toxic.js';

/** The stage factory of a fault; `down` acts on the proxy, not on a connection's bytes. */
export function toxicOf(fault: Exclude<FaultSpec, { type: 'down' }>): ToxicFactory {
  switch (fault.type) {
    case 'latency':
      return latencyToxic(fault.latencyMs, fault.jitterMs);
    case 'bandwidth':
      return bandwidthToxic(fault.rateKBps);
    case 'slicer':
      return slicerToxic(fault.averageSize, fault.sizeVariation, fault.delayMs);
    case 'limit_data':
      return limitDataToxic(fault.bytes);
    case 'timeout':
      return timeoutToxic(fault.timeoutMs);
    case 'reset_peer':
      return resetPeerToxic(fault.timeoutMs);
    case 'slow_close':
      return slowCloseToxic(fault.delayMs);
  }
}
