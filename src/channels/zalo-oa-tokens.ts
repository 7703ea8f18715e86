// Zalo OA access tokens, renewed ahead of expiry and when Zalo refuses one (-216). The refresh token is single-use:
// whoever renews it stores the new pair (one write) before using the new access token, and only one process at a
// time renews (a lease in the shared store with replicas; one renewal in flight per process). A rejected refresh
// token is recorded, so no process asks again until a person re-authorises the app (a new ZALO_OA_REFRESH_TOKEN).
import crypto from "node:crypto";
import type { Logger } from "../log.js";
import type { LeaseStore, OaTokens, OaTokenStore } from "../store/types.js";
import { sleep } from "./retry.js";
import { OaRefreshRejected, type ZaloOaClient } from "./zalo-oa-client.js";

/** The Vietnamese words staff see in the console; also part of the English log line and /readyz error. */
export const OA_REAUTHORIZE_VI = "cần cấp lại quyền cho ứng dụng Zalo OA";

/** No usable refresh token: renewal is not attempted again until ZALO_OA_REFRESH_TOKEN changes. */
export class OaReauthorizationNeeded extends Error {
  constructor(reason: string) {
    super(
      `Zalo OA cannot renew its access token (${reason}); re-authorise the app and set ZALO_OA_REFRESH_TOKEN to the new ` +
        `refresh token, then restart (${OA_REAUTHORIZE_VI})`,
    );
    this.name = "OaReauthorizationNeeded";
  }
}

export interface OaTokenOptions {
  appId: string;
  /** ZALO_OA_REFRESH_TOKEN: used while the store holds nothing descended from it. */
  envRefreshToken?: string;
  store: OaTokenStore;
  /** Shared leases (replicas); without them this process is the only one renewing. */
  leases?: LeaseStore;
  /** This process in the lease table. */
  holder: string;
  client: Pick<ZaloOaClient, "refresh">;
  log: Logger;
  /** Renew this long before the access token expires (default 1 h; Zalo's tokens last about 25 h). */
  renewAheadMs?: number;
  /** How long the renewal lease lasts, and how long a process waits for another one's renewal (default 30 s). */
  leaseMs?: number;
  now?: () => number;
}

export interface OaTokenSource {
  /** A valid access token; renews first when it is missing, about to expire, or equal to `refused` (Zalo said -216). */
  accessToken(refused?: string): Promise<string>;
}

/** The lease name of an app's renewal (the app id is not a secret). */
export const oaRefreshLeaseName = (appId: string) => `zalo-oa-refresh:${appId}`;
const seedOf = (refreshToken: string) => crypto.createHash("sha256").update(refreshToken).digest("hex").slice(0, 32);

/** One process alone needs no shared lease: its single renewal in flight is enough. */
const localLease: LeaseStore = { acquire: () => true, release: () => undefined };

export function createOaTokenSource(opts: OaTokenOptions): OaTokenSource {
  const now = opts.now ?? Date.now;
  const ahead = opts.renewAheadMs ?? 60 * 60_000;
  const leaseMs = opts.leaseMs ?? 30_000;
  const leases = opts.leases ?? localLease;
  const lease = oaRefreshLeaseName(opts.appId);
  const envSeed = opts.envRefreshToken ? seedOf(opts.envRefreshToken) : undefined;
  let inflight: Promise<string> | undefined;

  /** The stored tokens, unless the environment holds a newer grant than the one they descend from. */
  const stored = async (): Promise<OaTokens | undefined> => {
    const t = await opts.store.get(opts.appId);
    return t && envSeed && t.seed !== envSeed ? undefined : t;
  };
  /** The stored access token when it can be used (throws when renewal was refused for good). */
  const usable = (t: OaTokens | undefined, refused?: string): string | undefined => {
    if (t?.rejected) throw new OaReauthorizationNeeded(t.rejected);
    return t && t.accessToken !== refused && t.expiresAt - now() > ahead ? t.accessToken : undefined;
  };

  async function renew(current: OaTokens | undefined): Promise<string> {
    const refreshToken = current?.refreshToken ?? opts.envRefreshToken;
    const seed = current?.seed ?? envSeed;
    if (!refreshToken || !seed) throw new OaReauthorizationNeeded("no refresh token stored and ZALO_OA_REFRESH_TOKEN is not set");
    try {
      const grant = await opts.client.refresh(refreshToken);
      const next = {
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken,
        expiresAt: now() + grant.expiresInSeconds * 1000,
        seed,
        updatedAt: new Date(now()).toISOString(),
      };
      // Stored before use: losing this pair would lock the app out (the old refresh token is spent).
      await opts.store.save(opts.appId, next);
      opts.log.info("zalo-oa access token renewed", { expiresAt: new Date(next.expiresAt).toISOString() });
      return next.accessToken;
    } catch (err) {
      if (!(err instanceof OaRefreshRejected)) throw err;
      return rejected(current, refreshToken, seed, err);
    }
  }

  /** Records the refusal (unless another process rotated the token meanwhile, whose pair is then used). */
  async function rejected(current: OaTokens | undefined, refreshToken: string, seed: string, err: OaRefreshRejected): Promise<string> {
    const reason = `refresh token rejected by Zalo: ${err.code} ${err.description}`;
    const mark = { accessToken: "", refreshToken, expiresAt: 0, seed, rejected: reason, updatedAt: new Date(now()).toISOString() };
    const marked = await opts.store.save(opts.appId, mark, current ? current.refreshToken : undefined);
    if (!marked) {
      const token = usable(await stored());
      if (token) return token;
    }
    const alert = new OaReauthorizationNeeded(reason);
    opts.log.error(alert.message);
    throw alert;
  }

  /** Renews under the lease; without it, waits for the holder's new tokens to appear in the store. */
  async function renewUnderLease(refused?: string): Promise<string> {
    const deadline = now() + leaseMs + 15_000;
    for (;;) {
      if (await leases.acquire(lease, opts.holder, leaseMs)) {
        try {
          // Another process may have renewed while we waited for the lease.
          const current = await stored();
          return usable(current, refused) ?? (await renew(current));
        } finally {
          await Promise.resolve(leases.release(lease, opts.holder)).catch(() => undefined);
        }
      }
      await sleep(200);
      const token = usable(await stored(), refused);
      if (token) return token;
      if (now() > deadline) throw new Error("zalo-oa: timed out waiting for another replica to renew the access token");
    }
  }

  return {
    async accessToken(refused) {
      const token = usable(await stored(), refused);
      if (token) return token;
      inflight ??= renewUnderLease(refused).finally(() => (inflight = undefined));
      return inflight;
    },
  };
}
