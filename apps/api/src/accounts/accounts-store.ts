import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROLES, Role } from '@app/application';

/** A console sign-in. Credentials are not programme facts: they live beside the log, not in it. */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  zones: string[];
  cities: string[];
  createdAt: string;
  disabled: boolean;
}

export interface NewAccount {
  username: string;
  password: string;
  role: Role;
  displayName?: string;
  zones?: string[];
  cities?: string[];
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  username: string;
  details: Record<string, unknown>;
}

export type SignInResult =
  | { ok: true; account: Account }
  | { ok: false; reason: 'bad-credentials' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

export class AccountError extends Error {
  constructor(
    readonly code: 'username-taken' | 'invalid-account',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const ACCOUNTS_FILE = 'accounts.sqlite';
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const MIN_PASSWORD_LENGTH = 8;
/** Failures allowed before the first lock; each further failure doubles the lock. */
export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 3600;

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 64 };

function scryptHash(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, SCRYPT.keyLength, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash`, so the cost can rise later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptHash(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, N, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt') return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptHash(password, Buffer.from(salt, 'base64'), Number(N), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Compared against when the username is unknown, so both cases take as long. */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(64).toString('base64')}`;

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  zones: string;
  cities: string;
  password_hash: string;
  created_at: string;
  disabled: number;
}

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  zones: JSON.parse(row.zones) as string[],
  cities: JSON.parse(row.cities) as string[],
  createdAt: row.created_at,
  disabled: row.disabled === 1,
});

/**
 * Accounts, sign-in failures, sessions and the audit of account changes, in
 * `DATA_DIR/accounts.sqlite` (shared by the API and the CLI).
 */
export class AccountsStore {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, ACCOUNTS_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS accounts (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        zones TEXT NOT NULL,
        cities TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS sign_in_failures (
        username TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        locked_until TEXT
      );
      CREATE TABLE IF NOT EXISTS sessions (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        ended_at TEXT
      );
      CREATE TABLE IF NOT EXISTS account_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        username TEXT NOT NULL,
        details TEXT NOT NULL
      );
    `);
  }

  close(): void {
    this.db.close();
  }

  async add(input: NewAccount, actor: string, now: Date): Promise<Account> {
    const username = input.username.trim().toLowerCase();
    if (!USERNAME.test(username)) {
      throw new AccountError(
        'invalid-account',
        'username: 2-64 lower-case letters, digits, ".", "_" or "-"',
        'username',
      );
    }
    if (!(ROLES as readonly string[]).includes(input.role))
      throw new AccountError('invalid-account', `role must be one of ${ROLES.join(', ')}`, 'role');
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw new AccountError(
        'invalid-account',
        `password must have at least ${MIN_PASSWORD_LENGTH} characters`,
        'password',
      );
    }
    const zones = input.role === 'officer' ? (input.zones ?? []) : [];
    const cities = input.role === 'officer' ? (input.cities ?? []) : [];
    if (input.role === 'officer' && zones.length === 0 && cities.length === 0) {
      throw new AccountError('invalid-account', 'an officer needs at least one zone or city', 'zones');
    }
    const account: Account = {
      id: randomUUID(),
      username,
      displayName: input.displayName?.trim() || username,
      role: input.role,
      zones,
      cities,
      createdAt: now.toISOString(),
      disabled: false,
    };
    const passwordHash = await hashPassword(input.password);
    const insert = this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM accounts WHERE username = ?').get(username)) {
        throw new AccountError('username-taken', `username ${username} is taken`, 'username');
      }
      this.db
        .prepare(
          `INSERT INTO accounts (id, username, display_name, role, zones, cities, password_hash, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          account.id,
          username,
          account.displayName,
          account.role,
          JSON.stringify(zones),
          JSON.stringify(cities),
          passwordHash,
          account.createdAt,
        );
      this.audit(now, actor, 'account-added', username, {
        id: account.id,
        displayName: account.displayName,
        role: account.role,
        zones,
        cities,
      });
    });
    insert();
    return account;
  }

  setDisabled(username: string, disabled: boolean, actor: string, now: Date): Account | undefined {
    const change = this.db.transaction(() => {
      const result = this.db
        .prepare('UPDATE accounts SET disabled = ? WHERE username = ?')
        .run(disabled ? 1 : 0, username);
      if (result.changes === 0) return undefined;
      if (disabled) {
        this.db
          .prepare(
            'UPDATE sessions SET ended_at = ? WHERE ended_at IS NULL AND account_id = (SELECT id FROM accounts WHERE username = ?)',
          )
          .run(now.toISOString(), username);
      }
      this.audit(now, actor, disabled ? 'account-disabled' : 'account-enabled', username, {});
      return this.byUsername(username);
    });
    return change();
  }

  list(): Account[] {
    return (this.db.prepare('SELECT * FROM accounts ORDER BY username').all() as AccountRow[]).map(toAccount);
  }

  byId(id: string): Account | undefined {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    return row && toAccount(row);
  }

  byUsername(username: string): Account | undefined {
    const row = this.db.prepare('SELECT * FROM accounts WHERE username = ?').get(username) as
      AccountRow | undefined;
    return row && toAccount(row);
  }

  auditLog(limit = 200): AuditEntry[] {
    const rows = this.db.prepare('SELECT * FROM account_audit ORDER BY id DESC LIMIT ?').all(limit) as (Omit<
      AuditEntry,
      'details'
    > & { details: string })[];
    return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
  }

  /**
   * Checks a password. After FREE_ATTEMPTS failures in a row the username is locked, first for
   * 30 s, doubling with each further failure (up to an hour); a lock refuses even the right
   * password. Unknown usernames are counted the same way, so locks reveal nothing.
   */
  async signIn(usernameInput: string, password: string, now: Date): Promise<SignInResult> {
    const username = usernameInput.trim().toLowerCase();
    const failure = this.db
      .prepare('SELECT failures, locked_until FROM sign_in_failures WHERE username = ?')
      .get(username) as { failures: number; locked_until: string | null } | undefined;
    if (failure?.locked_until && failure.locked_until > now.toISOString()) {
      return { ok: false, reason: 'locked', retryAfterSeconds: secondsUntil(failure.locked_until, now) };
    }
    const row = this.db.prepare('SELECT * FROM accounts WHERE username = ?').get(username) as
      AccountRow | undefined;
    const matches = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (row && matches && row.disabled === 0) {
      this.db.prepare('DELETE FROM sign_in_failures WHERE username = ?').run(username);
      return { ok: true, account: toAccount(row) };
    }
    const failures = (failure?.failures ?? 0) + 1;
    const lockSeconds =
      failures >= FREE_ATTEMPTS
        ? Math.min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** (failures - FREE_ATTEMPTS))
        : 0;
    const lockedUntil = lockSeconds > 0 ? new Date(now.getTime() + lockSeconds * 1000).toISOString() : null;
    this.db
      .prepare(
        `INSERT INTO sign_in_failures (username, failures, locked_until) VALUES (?, ?, ?)
         ON CONFLICT(username) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`,
      )
      .run(username, failures, lockedUntil);
    if (lockedUntil) this.audit(now, 'system', 'sign-in-locked', username, { failures, lockSeconds });
    return { ok: false, reason: 'bad-credentials' };
  }

  startSession(accountId: string, now: Date, lifetimeSeconds: number): { id: string; expiresAt: Date } {
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + lifetimeSeconds * 1000);
    this.db
      .prepare('INSERT INTO sessions (id, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(id, accountId, now.toISOString(), expiresAt.toISOString());
    return { id, expiresAt };
  }

  /** The account of a live session: not ended, not expired, account not disabled. */
  sessionAccount(sessionId: string, now: Date): Account | undefined {
    const row = this.db
      .prepare(
        `SELECT a.* FROM sessions s JOIN accounts a ON a.id = s.account_id
         WHERE s.id = ? AND s.ended_at IS NULL AND s.expires_at > ? AND a.disabled = 0`,
      )
      .get(sessionId, now.toISOString()) as AccountRow | undefined;
    return row && toAccount(row);
  }

  renewSession(sessionId: string, now: Date, lifetimeSeconds: number): void {
    this.db
      .prepare('UPDATE sessions SET expires_at = ? WHERE id = ? AND ended_at IS NULL')
      .run(new Date(now.getTime() + lifetimeSeconds * 1000).toISOString(), sessionId);
  }

  endSession(sessionId: string, now: Date): void {
    this.db
      .prepare('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL')
      .run(now.toISOString(), sessionId);
  }

  private audit(now: Date, actor: string, action: string, username: string, details: object): void {
    this.db
      .prepare('INSERT INTO account_audit (at, actor, action, username, details) VALUES (?, ?, ?, ?, ?)')
      .run(now.toISOString(), actor, action, username, JSON.stringify(details));
  }
}

function secondsUntil(instant: string, now: Date): number {
  return Math.max(1, Math.ceil((new Date(instant).getTime() - now.getTime()) / 1000));
}
