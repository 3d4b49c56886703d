import protobuf from 'protobufjs';

/**
 * The part of TensorFlow's event.proto and summary.proto that scalar summaries use (a gradlab
 * record holds per-layer norms and ratios, no distributions of values, so there is nothing to
 * put in a HistogramProto), as protobufjs reflection JSON (field numbers as in tensorflow/core/util/event.proto and
 * tensorflow/core/framework/summary.proto), so no .proto file is parsed at run time.
 */
const root = protobuf.Root.fromJSON({
  nested: {
    tensorboard: {
      nested: {
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            Value: {
              oneofs: { value: { oneof: ['simpleValue'] } },
              fields: {
                tag: { type: 'string', id: 1 },
                simpleValue: { type: 'float', id: 2 },
              },
            },
          },
        },
        Event: {
          oneofs: { what: { oneof: ['fileVersion', 'summary'] } },
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
      },
    },
  },
});

const EventType = root.lookupType('tensorboard.Event');

/** The first event of every event file: TensorBoard reads the format version from it. */
export const FILE_VERSION = 'brain.Event:2';

export interface ScalarValue {
  readonly tag: string;
  readonly simpleValue: number;
}

export interface TensorBoardEvent {
  readonly wallTime: number;
  readonly step: number;
  readonly fileVersion?: string;
  readonly summary?: { readonly value: readonly ScalarValue[] };
}

export function encodeEvent(event: TensorBoardEvent): Uint8Array {
  return EventType.encode(EventType.fromObject(event)).finish();
}

/** An encoded Event back as a plain object (int64 steps as numbers). */
export function decodeEvent(data: Uint8Array): TensorBoardEvent {
  return EventType.toObject(EventType.decode(data), {
    longs: Number,
    defaults: false,
  }) as TensorBoardEvent;
}
