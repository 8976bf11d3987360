import { DurableObject } from "cloudflare:workers";
import { ConsignError, ErrorCode } from "@consign/domain";
import { hashPassword, randomId, randomToken, sha256, verifyPassword } from "../auth/crypto.ts";
import type { Identity } from "../auth/identity.ts";
import { isRole, type Role } from "../auth/permissions.ts";
import type { Env } from "../env.ts";
import { capture, type Result } from "../http/result.ts";
import { sendMail } from "../mail/postmark.ts";
import { signUpCodeMail, signUpExistingMail } from "../mail/templates.ts";
import { type ApiKeyScope, ApiKeys, type ApiKeyView } from "./api-keys.ts";
import { floodRefusal, HashBudget, hashBudgetRuleFrom } from "./hash-budget.ts";
import { directorySchema } from "./schema.ts";
import { accountRule, clientRule, SignInThrottle, signUpMailRule, signUpRule } from "./throttle.ts";

export const INVITE_TTL_MS = 72 * 3600_000;
/** How long a sign-up code works, and how many wrong codes end the sign-up. */
export const SIGNUP_CODE_TTL_MS = 30 * 60_000;
export const SIGNUP_CODE_TRIES = 5;

/** What sign-up answers, for a new email and a registered one alike. */
export interface SignUpStarted {
  status: "code-sent";
  email: string;
  expiresAt: number;
}

/** Six digits from the CSPRNG, without modulo bias (rejection sampling). */
function signUpCode(): string {
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    const n = buf[0]!;
    if (n < 4_294_000_000) return String(n % 1_000_000).padStart(6, "0");
  }
}
const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

export interface Membership {
  sellerId: string;
  sellerName: string;
  role: Role;
}

export interface SessionGrant {
  sessionToken: string;
  sessionId: string;
  user: { id: string; email: string; name: string };
  memberships: Membership[];
  /**
   * This device's key for the account: send it back as `deviceKey` when signing in again, and
   * the account's wait after failed attempts (someone guessing the password) does not apply.
   */
  deviceKey: string;
}

export interface TeamView {
  members: { userId: string; name: string; email: string; role: Role }[];
  devices: { sessionId: string; userId: string; userName: string; deviceName: string; lastSeenAt: number }[];
}

type Row = Record<string, SqlStorageValue>;

/**
 * The directory of sellers, people, memberships, device sessions, invites and API keys.
 * One instance (a Durable Object rather than D1: every operation here is a small transaction that
 * must be strongly consistent, such as an invite used once or a session revoked at once, and the
 * hot path, verifying an access token, never reaches it).
 */
export class Directory extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly throttle: SignInThrottle;
  private readonly apiKeys: ApiKeys;
  /** Wrong guesses from devices not known to the account, across all of them (./hash-budget.ts). */
  private readonly hashBudget: HashBudget;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(directorySchema);
    this.throttle = new SignInThrottle(this.sql);
    this.apiKeys = new ApiKeys(this.sql, env.TOKEN_SECRET);
    this.hashBudget = new HashBudget(hashBudgetRuleFrom(env.SIGNIN_GUESS_BUDGET), Date.now());
  }

  /**
   * Sign-up, step one: the same answer whether or not the email has an account, so sign-up tells
   * no one which emails are registered. A new email gets a six-digit code (valid 30 minutes, five
   * tries) and nothing is created until it comes back (`verifySignUp`); a registered email gets a
   * note that someone tried to sign up with it, and how to sign in. Both paths hash the password
   * and send one email. Throttled per client address and per email (no one's inbox is flooded).
   */
  signUp(
    input: {
      sellerName: string;
      name: string;
      email: string;
      password: string;
      deviceName: string;
    },
    clientAddress = "unknown",
  ): Promise<Result<SignUpStarted>> {
    return capture(async () => {
      const now = Date.now();
      const email = normaliseEmail(input.email);
      // Sign-ups per client address: a few an hour, then a growing wait.
      // (Cloudflare always names the address; only a request from inside, such as a test, has none.)
      const clientKey = `signup:${clientAddress}`;
      const mailKey = `signup-mail:${email}`;
      if (clientAddress !== "unknown") this.throttle.check(clientKey, now, "sign-ups from this address");
      this.throttle.check(mailKey, now, "sign-up emails to this address");
      if (clientAddress !== "unknown") this.throttle.fail(clientKey, signUpRule, now);
      this.throttle.fail(mailKey, signUpMailRule, now);
      const passwordHash = await hashPassword(input.password);
      const expiresAt = now + SIGNUP_CODE_TTL_MS;
      if (this.userIdByEmail(email)) {
        await sendMail(this.env, signUpExistingMail(email, this.env.PUBLIC_URL));
      } else {
        const code = signUpCode();
        await sendMail(
          this.env,
          signUpCodeMail(email, input.sellerName.trim(), code, SIGNUP_CODE_TTL_MS / 60_000),
        );
        // Stored only once the email went: a code no one received is never waiting.
        this.sql.exec(
          `INSERT INTO pending_signups (email, code_hash, seller_name, name, password_hash, created_at, expires_at, attempts)
           VALUES (?, ?, ?, ?, ?, ?, ?, 0)
           ON CONFLICT(email) DO UPDATE SET code_hash = excluded.code_hash, seller_name = excluded.seller_name,
             name = excluded.name, password_hash = excluded.password_hash, created_at = excluded.created_at,
             expires_at = excluded.expires_at, attempts = 0`,
          email,
          await sha256(`${email}:${code}`),
          input.sellerName.trim(),
          input.name.trim(),
          passwordHash,
          now,
          expiresAt,
        );
      }
      this.sql.exec("DELETE FROM pending_signups WHERE expires_at < ?", now);
      return { status: "code-sent", email, expiresAt };
    });
  }

  /**
   * Sign-up, step two: the code from the email opens the account (seller, owner, membership) and
   * this device's session. A wrong, used or expired code, or an email with no sign-up waiting, all
   * get the same answer; five wrong codes end the sign-up.
   */
  verifySignUp(
    input: { email: string; code: string; deviceName: string },
    clientAddress = "unknown",
  ): Promise<Result<SessionGrant>> {
    return capture(async () => {
      const now = Date.now();
      const email = normaliseEmail(input.email);
      const clientKey = `signup-code:${clientAddress}`;
      if (clientAddress !== "unknown") this.throttle.check(clientKey, now, "wrong codes from this address");
      const pending = this.sql
        .exec<Row>("SELECT * FROM pending_signups WHERE email = ? AND expires_at >= ?", email, now)
        .toArray()[0];
      const codeHash = await sha256(`${email}:${input.code.replace(/\s/g, "")}`);
      if (!pending || pending.code_hash !== codeHash || this.userIdByEmail(email)) {
        if (clientAddress !== "unknown") this.throttle.fail(clientKey, clientRule, now);
        if (pending) {
          const attempts = (pending.attempts as number) + 1;
          if (attempts >= SIGNUP_CODE_TRIES)
            this.sql.exec("DELETE FROM pending_signups WHERE email = ?", email);
          else this.sql.exec("UPDATE pending_signups SET attempts = ? WHERE email = ?", attempts, email);
        }
        throw new ConsignError(
          ErrorCode.BadRequest,
          "That code is not right, or it has expired: check the latest email from Consign, or sign up again for a new code.",
          [{ path: "code", message: "not the code we sent, or expired" }],
        );
      }
      const sellerId = randomId("sel_");
      const userId = randomId("usr_");
      this.ctx.storage.transactionSync(() => {
        this.sql.exec("DELETE FROM pending_signups WHERE email = ?", email);
        this.sql.exec("INSERT INTO sellers VALUES (?, ?, ?)", sellerId, pending.seller_name, now);
        this.sql.exec(
          "INSERT INTO users VALUES (?, ?, ?, ?, ?)",
          userId,
          email,
          pending.name,
          pending.password_hash,
          now,
        );
        this.sql.exec("INSERT INTO memberships VALUES (?, ?, 'owner', ?)", sellerId, userId, now);
      });
      if (clientAddress !== "unknown") this.throttle.succeed(clientKey);
      return this.openSession(userId, input.deviceName, now);
    });
  }

  signIn(
    input: { email: string; password: string; deviceName: string; deviceKey?: string | undefined },
    clientAddress: string,
  ): Promise<Result<SessionGrant>> {
    return capture(async () => {
      const email = normaliseEmail(input.email);
      const now = Date.now();
      const accountKey = `account:${email}`;
      const clientKey = `client:${clientAddress}`;
      this.throttle.check(clientKey, now);
      const user = this.sql
        .exec<Row>("SELECT id, password_hash FROM users WHERE email = ?", email)
        .toArray()[0];
      // A device that signed in to this account before is not held up by others' guesses.
      const knownDevice =
        user !== undefined &&
        input.deviceKey !== undefined &&
        (await this.isKnownDevice(input.deviceKey, user.id as string, now));
      if (!knownDevice) {
        this.throttle.check(accountKey, now);
        // A flood of wrong guesses from everywhere must not take the hashing thread from everyone.
        const wait = this.hashBudget.take(now);
        if (wait > 0) throw floodRefusal(wait);
      }
      // Hash even for an unknown email so timing does not tell which emails exist.
      const ok = await verifyPassword(input.password, (user?.password_hash as string) ?? DUMMY_HASH);
      if (ok && user && !knownDevice) this.hashBudget.give(Date.now());
      if (!user || !ok) {
        if (!knownDevice) this.throttle.fail(accountKey, accountRule, now);
        this.throttle.fail(clientKey, clientRule, now);
        throw new ConsignError(ErrorCode.Unauthenticated, "Email or password is not right.");
      }
      if (!knownDevice) this.throttle.succeed(accountKey);
      return this.openSession(user.id as string, input.deviceName, now);
    });
  }

  /** Joins a seller's team with a single-use invite code, creating the person's account if new. */
  join(input: {
    code: string;
    name: string;
    email: string;
    password: string;
    deviceName: string;
  }): Promise<Result<SessionGrant>> {
    return capture(async () => {
      const now = Date.now();
      const codeHash = await sha256(input.code.trim());
      const invite = this.sql.exec<Row>("SELECT * FROM invites WHERE code_hash = ?", codeHash).toArray()[0];
      if (!invite)
        throw new ConsignError(
          ErrorCode.NotFound,
          "That invite code is not known: ask the owner for a new one.",
        );
      if (invite.used_at !== null)
        throw new ConsignError(ErrorCode.Conflict, "That invite code has already been used.");
      if ((invite.expires_at as number) <= now) {
        throw new ConsignError(
          ErrorCode.Conflict,
          "That invite code has expired: ask the owner for a new one.",
        );
      }
      const email = normaliseEmail(input.email);
      let userId = this.userIdByEmail(email);
      if (userId) {
        const row = this.sql.exec<Row>("SELECT password_hash FROM users WHERE id = ?", userId).one();
        if (!(await verifyPassword(input.password, row.password_hash as string))) {
          throw new ConsignError(
            ErrorCode.Unauthenticated,
            "This email has an account: enter its password to join.",
          );
        }
      }
      const passwordHash = userId ? null : await hashPassword(input.password);
      this.ctx.storage.transactionSync(() => {
        // Re-check inside the transaction: two people racing for one code get one membership.
        const fresh = this.sql.exec<Row>("SELECT used_at FROM invites WHERE code_hash = ?", codeHash).one();
        if (fresh.used_at !== null)
          throw new ConsignError(ErrorCode.Conflict, "That invite code has already been used.");
        if (!userId) {
          userId = randomId("usr_");
          this.sql.exec(
            "INSERT INTO users VALUES (?, ?, ?, ?, ?)",
            userId,
            email,
            input.name.trim(),
            passwordHash,
            now,
          );
        }
        this.sql.exec(
          "UPDATE invites SET used_at = ?, used_by = ? WHERE code_hash = ?",
          now,
          userId,
          codeHash,
        );
        this.sql.exec(
          `INSERT INTO memberships VALUES (?, ?, ?, ?)
           ON CONFLICT(seller_id, user_id) DO UPDATE SET role = excluded.role`,
          invite.seller_id,
          userId,
          invite.role,
          now,
        );
      });
      return this.openSession(userId!, input.deviceName, now);
    });
  }

  /** The identity behind a device session for one seller: the basis of an access token. */
  sessionIdentity(sessionToken: string, sellerId: string): Promise<Result<Omit<Identity, "kind">>> {
    return capture(async () => {
      const session = await this.liveSession(sessionToken);
      const row = this.sql
        .exec<Row>(
          `SELECT m.role, u.name FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE m.seller_id = ? AND m.user_id = ?`,
          sellerId,
          session.user_id,
        )
        .toArray()[0];
      if (!row || !isRole(row.role))
        throw new ConsignError(ErrorCode.Forbidden, "You are not a member of that seller's team.");
      this.sql.exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?", Date.now(), session.id);
      return {
        sellerId,
        userId: session.user_id as string,
        role: row.role,
        sessionId: session.id as string,
        name: row.name as string,
        ...(session.device_name ? { deviceName: session.device_name as string } : {}),
      };
    });
  }

  /** The person's memberships, for a device that is already signed in. */
  whoAmI(sessionToken: string): Promise<Result<Omit<SessionGrant, "deviceKey">>> {
    return capture(async () => {
      const session = await this.liveSession(sessionToken);
      return this.grant(session.user_id as string, session.id as string, sessionToken);
    });
  }

  signOut(
    sessionToken: string,
    everywhere: boolean,
  ): Promise<Result<{ revoked: string[]; sellers: string[] }>> {
    return capture(async () => {
      const session = await this.liveSession(sessionToken);
      const userId = session.user_id as string;
      const ids = everywhere
        ? this.sql
            .exec<Row>("SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL", userId)
            .toArray()
            .map((r) => r.id as string)
        : [session.id as string];
      this.revokeSessions(ids);
      return { revoked: ids, sellers: this.sellersOf(userId) };
    });
  }

  createInvite(by: Identity, role: Role): Promise<Result<{ code: string; role: Role; expiresAt: number }>> {
    return capture(async () => {
      const code = randomToken("", 9).replace(/[-_]/g, "x").slice(0, 12).toUpperCase();
      const expiresAt = Date.now() + INVITE_TTL_MS;
      this.sql.exec(
        "INSERT INTO invites VALUES (?, ?, ?, ?, ?, NULL, NULL)",
        await sha256(code),
        by.sellerId,
        role,
        by.userId,
        expiresAt,
      );
      return { code, role, expiresAt };
    });
  }

  team(sellerId: string): Promise<Result<TeamView>> {
    return capture(() => {
      const members = this.sql
        .exec<Row>(
          `SELECT u.id, u.name, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE m.seller_id = ? ORDER BY u.name`,
          sellerId,
        )
        .toArray()
        .map((r) => ({
          userId: r.id as string,
          name: r.name as string,
          email: r.email as string,
          role: r.role as Role,
        }));
      const devices = this.sql
        .exec<Row>(
          `SELECT s.id, s.user_id, u.name, s.device_name, s.last_seen_at FROM sessions s
           JOIN memberships m ON m.user_id = s.user_id AND m.seller_id = ?
           JOIN users u ON u.id = s.user_id
           WHERE s.revoked_at IS NULL ORDER BY s.last_seen_at DESC`,
          sellerId,
        )
        .toArray()
        .map((r) => ({
          sessionId: r.id as string,
          userId: r.user_id as string,
          userName: r.name as string,
          deviceName: r.device_name as string,
          lastSeenAt: r.last_seen_at as number,
        }));
      return { members, devices };
    });
  }

  /** Removes a member from one seller's team; the caller tells that seller's room to close them out. */
  removeMember(by: Identity, userId: string): Promise<Result<{ removed: true }>> {
    return capture(() => {
      if (userId === by.userId)
        throw new ConsignError(ErrorCode.Conflict, "An owner cannot remove themselves.");
      const res = this.sql.exec(
        "DELETE FROM memberships WHERE seller_id = ? AND user_id = ?",
        by.sellerId,
        userId,
      );
      if (res.rowsWritten === 0)
        throw new ConsignError(ErrorCode.NotFound, "That person is not on this team.");
      return { removed: true as const };
    });
  }

  changeRole(by: Identity, userId: string, role: Role): Promise<Result<{ role: Role }>> {
    return capture(() => {
      if (userId === by.userId)
        throw new ConsignError(ErrorCode.Conflict, "An owner cannot change their own role.");
      const res = this.sql.exec(
        "UPDATE memberships SET role = ? WHERE seller_id = ? AND user_id = ?",
        role,
        by.sellerId,
        userId,
      );
      if (res.rowsWritten === 0)
        throw new ConsignError(ErrorCode.NotFound, "That person is not on this team.");
      return { role };
    });
  }

  /** Signs one device out, when it belongs to a member of the caller's team. */
  revokeDevice(by: Identity, sessionId: string): Promise<Result<{ userId: string; sellers: string[] }>> {
    return capture(() => {
      const row = this.sql
        .exec<Row>(
          `SELECT s.user_id FROM sessions s JOIN memberships m ON m.user_id = s.user_id
           WHERE s.id = ? AND m.seller_id = ? AND s.revoked_at IS NULL`,
          sessionId,
          by.sellerId,
        )
        .toArray()[0];
      if (!row) throw new ConsignError(ErrorCode.NotFound, "No such device is signed in on this team.");
      this.revokeSessions([sessionId]);
      return { userId: row.user_id as string, sellers: this.sellersOf(row.user_id as string) };
    });
  }

  sellerExists(sellerId: string): boolean {
    return this.sql.exec("SELECT 1 FROM sellers WHERE id = ?", sellerId).toArray().length > 0;
  }

  /** The embedded default: a demo seller with an owner and a packer (idempotent). */
  async seedDemo(): Promise<{ sellerId: string; owner: string; packer: string; password: string }> {
    const sellerId = "sel_demo";
    const password = "despatch-demo-1";
    const owner = "owner@demo.consign.test";
    const packer = "packer@demo.consign.test";
    if (!this.sellerExists(sellerId)) {
      const now = Date.now();
      const [ownerHash, packerHash] = [await hashPassword(password), await hashPassword(password)];
      this.ctx.storage.transactionSync(() => {
        this.sql.exec("INSERT INTO sellers VALUES (?, ?, ?)", sellerId, "Demo Trading Ltd", now);
        this.sql.exec(
          "INSERT OR IGNORE INTO users VALUES ('usr_demo_owner', ?, 'Olivia Owner', ?, ?)",
          owner,
          ownerHash,
          now,
        );
        this.sql.exec(
          "INSERT OR IGNORE INTO users VALUES ('usr_demo_packer', ?, 'Pat Packer', ?, ?)",
          packer,
          packerHash,
          now,
        );
        this.sql.exec("INSERT INTO memberships VALUES (?, 'usr_demo_owner', 'owner', ?)", sellerId, now);
        this.sql.exec("INSERT INTO memberships VALUES (?, 'usr_demo_packer', 'packer', ?)", sellerId, now);
      });
    }
    return { sellerId, owner, packer, password };
  }

  createApiKey(by: Identity, name: string, scope: ApiKeyScope) {
    return capture(() => this.apiKeys.create(by, name, scope));
  }

  verifyApiKey(key: string): Promise<Result<Identity>> {
    return capture(() => this.apiKeys.verify(key));
  }

  listApiKeys(sellerId: string): Promise<Result<ApiKeyView[]>> {
    return capture(() => this.apiKeys.list(sellerId));
  }

  revokeApiKey(sellerId: string, id: string): Promise<Result<{ revoked: true }>> {
    return capture(() => {
      this.apiKeys.revoke(sellerId, id);
      return { revoked: true as const };
    });
  }

  // --- internals -------------------------------------------------------------------------------

  private userIdByEmail(email: string): string | undefined {
    return this.sql.exec<Row>("SELECT id FROM users WHERE email = ?", email).toArray()[0]?.id as
      | string
      | undefined;
  }

  private async liveSession(sessionToken: string): Promise<Row> {
    const row = this.sql
      .exec<Row>("SELECT * FROM sessions WHERE token_hash = ?", await sha256(sessionToken))
      .toArray()[0];
    if (!row)
      throw new ConsignError(ErrorCode.Unauthenticated, "This device is not signed in: sign in again.");
    if (row.revoked_at !== null) {
      throw new ConsignError(ErrorCode.Unauthenticated, "This device was signed out: sign in again.");
    }
    return row;
  }

  private revokeSessions(ids: string[]): void {
    const now = Date.now();
    for (const id of ids) this.sql.exec("UPDATE sessions SET revoked_at = ? WHERE id = ?", now, id);
  }

  private sellersOf(userId: string): string[] {
    return this.sql
      .exec<Row>("SELECT seller_id FROM memberships WHERE user_id = ?", userId)
      .toArray()
      .map((r) => r.seller_id as string);
  }

  private async isKnownDevice(deviceKey: string, userId: string, now: number): Promise<boolean> {
    const hash = await sha256(deviceKey);
    const res = this.sql.exec(
      "UPDATE known_devices SET last_used_at = ? WHERE key_hash = ? AND user_id = ?",
      now,
      hash,
      userId,
    );
    return res.rowsWritten > 0;
  }

  private async openSession(userId: string, deviceName: string, now: number): Promise<SessionGrant> {
    const deviceKey = randomToken("cs_dev_");
    this.sql.exec(
      "INSERT INTO known_devices (key_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)",
      await sha256(deviceKey),
      userId,
      now,
      now,
    );
    return { ...(await this.openSessionOnly(userId, deviceName, now)), deviceKey };
  }

  private async openSessionOnly(
    userId: string,
    deviceName: string,
    now: number,
  ): Promise<Omit<SessionGrant, "deviceKey">> {
    const sessionToken = randomToken("cs_sess_");
    const sessionId = randomId("ses_");
    this.sql.exec(
      "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, NULL)",
      sessionId,
      await sha256(sessionToken),
      userId,
      deviceName.trim().slice(0, 80) || "Unnamed device",
      now,
      now,
    );
    return this.grant(userId, sessionId, sessionToken);
  }

  private grant(userId: string, sessionId: string, sessionToken: string): Omit<SessionGrant, "deviceKey"> {
    const user = this.sql.exec<Row>("SELECT id, email, name FROM users WHERE id = ?", userId).one();
    const memberships = this.sql
      .exec<Row>(
        `SELECT m.seller_id, s.name, m.role FROM memberships m JOIN sellers s ON s.id = m.seller_id
         WHERE m.user_id = ? ORDER BY s.name`,
        userId,
      )
      .toArray()
      .map((r) => ({ sellerId: r.seller_id as string, sellerName: r.name as string, role: r.role as Role }));
    return {
      sessionToken,
      sessionId,
      user: { id: user.id as string, email: user.email as string, name: user.name as string },
      memberships,
    };
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
