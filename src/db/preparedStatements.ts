/**
 * The key of knex's configuration (createOrm sets it) that turns named prepared statements off: a
 * pooler in transaction mode hands each transaction whichever server connection is free, where a
 * statement prepared on another does not exist.
 */
export const PREPARED_STATEMENTS_OPTION = 'chroniclePreparedStatements';
