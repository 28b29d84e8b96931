/** What the counting sink has accepted since it started. */
export interface SinkCounts {
  messages: number;
  /** Bytes of DATA (headers and body as sent, dot-stuffing removed). */
  bytes: number;
  /** Epoch ms of the first and the last accepted message, 0 before the first. */
  firstAt: number;
  lastAt: number;
}
