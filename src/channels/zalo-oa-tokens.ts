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
  return new StoredOaTokenSource(opts);
}

class StoredOaTokenSource implements OaTokenSource {
  private readonly now: () => number;
  private readonly ahead: number;
  private readonly leaseMs: number;
  private readonly leases: LeaseStore;
  private readonly lease: string;
  private readonly envSeed?: string;
  private inflight?: Promise<string>;

  constructor(private readonly opts: OaTokenOptions) {
    this.now = opts.now ?? Date.now;
    this.ahead = opts.renewAheadMs ?? 60 * 60_000;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.leases = opts.leases ?? localLease;
    this.lease = oaRefreshLeaseName(opts.appId);
    this.envSeed = opts.envRefreshToken ? seedOf(opts.envRefreshToken) : undefined;
  }

  async accessToken(refused?: string): Promise<string> {
    const token = this.usable(await this.stored(), refused);
    if (token) return token;
    this.inflight ??= this.renewUnderLease(refused).finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /** The stored tokens, unless the environment holds a newer grant than the one they descend from. */
  private async stored(): Promise<OaTokens | undefined> {
    const t = await this.opts.store.get(this.opts.appId);
    return t && this.envSeed && t.seed !== this.envSeed ? undefined : t;
  }

  /** The stored access token when it can be used (throws when renewal was refused for good). */
  private usable(t: OaTokens | undefined, refused?: string): string | undefined {
    if (t?.rejected) throw new OaReauthorizationNeeded(t.rejected);
    return t && t.accessToken !== refused && t.expiresAt - this.now() > this.ahead ? t.accessToken : undefined;
  }

  /** Renews under the lease; without it, waits for the holder's new tokens to appear in the store. */
  private async renewUnderLease(refused?: string): Promise<string> {
    const { leases, lease, opts } = this;
    const deadline = this.now() + this.leaseMs + 15_000;
    for (;;) {
      if (await leases.acquire(lease, opts.holder, this.leaseMs)) {
        try {
          // Another process may have renewed while we waited for the lease.
          const current = await this.stored();
          return this.usable(current, refused) ?? (await this.renew(current));
        } finally {
          await Promise.resolve(leases.release(lease, opts.holder)).catch(() => undefined);
        }
      }
      await sleep(200);
      const token = this.usable(await this.stored(), refused);
      if (token) return token;
      if (this.now() > deadline) throw new Error("zalo-oa: timed out waiting for another replica to renew the access token");
    }
  }

  private async renew(current: OaTokens | undefined): Promise<string> {
    const refreshToken = current?.refreshToken ?? this.opts.envRefreshToken;
    const seed = current?.seed ?? this.envSeed;
    if (!refreshToken || !seed) throw new OaReauthorizationNeeded("no refresh token stored and ZALO_OA_REFRESH_TOKEN is not set");
    try {
      const grant = await this.opts.client.refresh(refreshToken);
      const next = {
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken,
        expiresAt: this.now() + grant.expiresInSeconds * 1000,
        seed,
        updatedAt: new Date(this.now()).toISOString(),
      };
      // Stored before use: losing this pair would lock the app out (the old refresh token is spent).
      await this.opts.store.save(this.opts.appId, next);
      this.opts.log.info("zalo-oa access token renewed", { expiresAt: new Date(next.expiresAt).toISOString() });
      return next.accessToken;
    } catch (err) {
      if (!(err instanceof OaRefreshRejected)) throw err;
      // Wrong app id or secret: the refresh token is still good once the configuration is fixed.
      if (err.kind === "app-credentials")
        throw new Error(`${err.message}: check ZALO_OA_APP_ID and ZALO_OA_APP_SECRET (the app's secret key)`);
      return this.rejected(current, refreshToken, seed, err);
    }
  }

  /** Records the refusal (unless another process rotated the token meanwhile, whose pair is then used). */
  private async rejected(current: OaTokens | undefined, refreshToken: string, seed: string, err: OaRefreshRejected): Promise<string> {
    const reason = `refresh token rejected by Zalo: ${err.code} ${err.description}`;
    const updatedAt = new Date(this.now()).toISOString();
    const mark = { accessToken: "", refreshToken, expiresAt: 0, seed, rejected: reason, updatedAt };
    const marked = await this.opts.store.save(this.opts.appId, mark, current?.refreshToken);
    if (!marked) {
      const token = this.usable(await this.stored());
      if (token) return token;
    }
    const alert = new OaReauthorizationNeeded(reason);
    this.opts.log.error(alert.message);
    throw alert;
  }
}
