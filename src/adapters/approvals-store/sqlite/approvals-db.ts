/**
 * The approvals SQLite file (`<dataDir>/approvals.sqlite`): used link nonces, API tokens,
 * refused attempts and the approval-email ledger. One file, one connection, WAL mode.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS used_tokens (
  nonce TEXT PRIMARY KEY, release_id TEXT NOT NULL, run_id TEXT NOT NULL, gate TEXT NOT NULL,
  approver TEXT NOT NULL, used_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_tokens (
  id TEXT PRIMARY KEY, user TEXT NOT NULL, salt TEXT NOT NULL, hash TEXT NOT NULL,
  created_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS refused_attempts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL, release_id TEXT NOT NULL,
  run_id TEXT, gate TEXT NOT NULL, channel TEXT NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS refused_by_release ON refused_attempts(release_id);
CREATE TABLE IF NOT EXISTS approval_emails (
  release_id TEXT NOT NULL, run_id TEXT NOT NULL, gate TEXT NOT NULL, opening_id INTEGER NOT NULL,
  approver TEXT NOT NULL, kind TEXT NOT NULL, sequence INTEGER NOT NULL, status TEXT NOT NULL,
  message_id TEXT, updated_at TEXT NOT NULL,
  PRIMARY KEY (release_id, run_id, gate, opening_id, approver, kind, sequence));
`;

export type ApprovalsDb = Database.Database;

export type OpenApprovalsDbOptions = {
  /** Folder holding approvals.sqlite; created if missing. */
  dataDir: string;
};

export function openApprovalsDb({ dataDir }: OpenApprovalsDbOptions): ApprovalsDb {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'approvals.sqlite'));
  db.pragma('journal_mode = WAL');
  // Server and worker may share the file; wait for the other writer instead of failing.
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}
