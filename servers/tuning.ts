/**
 * Tuning profiles: `default` leaves every stack as it ships; `tuned` raises the HTTP/2
 * flow-control windows wherever the stack lets us (a 64 KiB window lets a sender have
 * 64 KiB unacknowledged per round trip, whatever the link could carry). Every setting is
 * listed, with where it applies, so that results.json and the report's environment say
 * exactly which figures were measured with what; what a stack cannot be tuned to do is
 * listed too, rather than patched. docs/networks-and-tuning.md has the measurements.
 */

export const tuningNames = ['default', 'tuned'] as const;
export type TuningName = (typeof tuningNames)[number];

/** HTTP/2 receive windows under `tuned`: above a 60 s upload (1.9 MB) and several BDPs of the slowest profile. */
export const tunedStreamWindowBytes = 4 * 1024 * 1024;
export const tunedConnectionWindowBytes = 8 * 1024 * 1024;

/** node:http2's windows for a server or client session, or none (the stack's default: 65,535 bytes). */
export interface Http2Windows {
  /** SETTINGS_INITIAL_WINDOW_SIZE: each stream's receive window. */
  readonly streamBytes: number;
  /** The connection's receive window (session.setLocalWindowSize). */
  readonly connectionBytes: number;
}

export function http2WindowsOf(tuning: TuningName): Http2Windows | undefined {
  return tuning === 'tuned'
    ? { streamBytes: tunedStreamWindowBytes, connectionBytes: tunedConnectionWindowBytes }
    : undefined;
}

/** One setting as results.json records it. */
export interface TuningSetting {
  /** The component: "grpc-js server", "connect-node server", "driver grpc-h2"... */
  readonly where: string;
  readonly setting: string;
  /** What it was set to; `null` where it could not be set. */
  readonly value: number | null;
  readonly note?: string;
}

const kept = (where: string, setting: string, value: number, note: string): TuningSetting => ({
  where,
  setting,
  value,
  note,
});

/** Every setting a run with `tuning` uses, the ones it cannot change included. */
export function tuningSettings(tuning: TuningName): TuningSetting[] {
  const windows = http2WindowsOf(tuning);
  const h2Servers = ['connect-node server (grpc-connect)', 'Fastify over node:http2 (rest-json-h2)'];
  return [
    ...h2Servers.flatMap((where) =>
      windows
        ? [
            { where, setting: 'settings.initialWindowSize', value: windows.streamBytes },
            { where, setting: 'session.setLocalWindowSize', value: windows.connectionBytes },
          ]
        : [{ where, setting: 'settings.initialWindowSize', value: 65_535, note: "node:http2's default" }],
    ),
    {
      where: 'grpc-js server (grpc)',
      setting: 'HTTP/2 receive windows',
      value: tuning === 'tuned' ? null : 65_535,
      note:
        tuning === 'tuned'
          ? 'cannot be raised in @grpc/grpc-js 1.14: its server reads no window option (grpc-node.flow_control_window is client-only; grpc/grpc-node#3058 is open); 65,535 bytes'
          : "node:http2's default",
    },
    {
      where: 'grpc-js client (family client)',
      setting: 'grpc-node.flow_control_window',
      value: windows ? windows.streamBytes : 65_535,
      ...(windows ? {} : { note: "node:http2's default" }),
    },
    kept(
      'drivers grpc-h2 and rest-h2 (family transport)',
      'SETTINGS_INITIAL_WINDOW_SIZE and connection window',
      2 ** 30 - 1,
      "h2load's defaults (-w 30 -W 30) in both tunings: answers never wait for a WINDOW_UPDATE",
    ),
    kept(
      'HTTP/1.1 variants',
      'none',
      0,
      'TCP only: the kernel autotunes its buffers (loopback up to 4 MiB send, 6 MiB receive)',
    ),
  ];
}

/** For node:http2 servers: SETTINGS to announce, and the connection window to open on each session. */
export function applyHttp2Windows(
  server: {
    on(event: 'session', listener: (session: { setLocalWindowSize(size: number): void }) => void): unknown;
  },
  windows: Http2Windows | undefined,
): void {
  if (!windows) return;
  server.on('session', (session) => session.setLocalWindowSize(windows.connectionBytes));
}
