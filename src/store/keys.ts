// Keys shared by both store implementations.
import crypto from "node:crypto";

/** Voters are kept as a hash: enough to allow one vote per person without storing platform ids. */
export const voterKey = (channel: string, userId: string) =>
  crypto.createHash("sha256").update(`${channel}:${userId}`).digest("hex").slice(0, 32);
