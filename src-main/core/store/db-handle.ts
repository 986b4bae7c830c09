import type Database from 'better-sqlite3';

/**
 * An open experiment store: a better-sqlite3 connection (openDb in db.ts makes one). Its own module so
 * that what openDb itself calls (staged-datasets.ts) names the type without importing db.ts back.
 */
export type Db = Database.Database;
