// What the bridge did with queue messages, counted: the Bridge's counters and the metrics' `result` label.
export interface BridgeCounters {
  received: number;
  started: number;
  duplicate: number;
  deadLettered: number;
  ignored: number;
  retried: number;
}

export type MessageResult = keyof BridgeCounters;
