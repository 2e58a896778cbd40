import pg from 'pg';
import { ChronicleError } from '../errors/index.js';

/**
 * Creates the database named in the URL when it does not exist yet, through the server's
 * maintenance database, so `chronicle migrate` works on a fresh server.
 */
export const ensureDatabase = async (databaseUrl: string): Promise<'created' | 'exists'> => {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(name))
    throw new ChronicleError('CONFIGURATION', `unsupported database name "${name}"`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return 'exists';
    try {
      await client.query(`create database "${name}"`);
    } catch (error) {
      // another process created it in the meantime
      if ((error as { code?: string }).code === '42P04') return 'exists';
      throw error;
    }
    return 'created';
  } finally {
    await client.end();
  }
};
