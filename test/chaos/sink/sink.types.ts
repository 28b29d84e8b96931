/** accept: 250 to everything; 421: every session refused; auth-535: every AUTH refused. */
export const sinkModes = ['accept', '421', 'auth-535'] as const;
export type SinkMode = (typeof sinkModes)[number];

export interface SinkStats {
  mode: SinkMode;
  /** Recipient → the Message-ID of every digest accepted for them, in arrival order. */
  accepted: Record<string, string[]>;
  /** Recipient → RCPT TO commands seen (accepted or refused): how often sending was tried. */
  rcptAttempts: Record<string, number>;
  /** SMTP code → how many times the sink answered it. */
  refusals: Record<string, number>;
  /** Accepted mail that is not a digest (confirmations, welcomes). */
  otherMail: number;
  /** Epoch ms of the last accepted message, 0 before the first. */
  lastAcceptedAt: number;
}
