/**
 * The column a read selects beside a row with sealed personal data: the data keys its subjects
 * still have (StoredDataKeys), null when `subjects` is (nothing sealed), `{}` when every one was
 * forgotten. Read in the same statement as the row, so a row and the keys that open it are one
 * snapshot of the store, and forgetting is seen by the next read, on every pod.
 */
export const dataKeysSql = (subjects: string): string =>
  `case when ${subjects} is null then null else coalesce((
     select jsonb_object_agg(k.subject, jsonb_build_array(k.kek_id, encode(k.wrapped, 'base64')))
     from es_data_keys k where k.subject = any(${subjects})), '{}'::jsonb) end`;

/** The subjects a sealed snapshot state (SealedState) names, as a text[]; null for a plain one. */
export const sealedStateSubjectsSql = (state: string): string =>
  `case when jsonb_exists(${state}, 'chronicle:sealed-state') then array(
     select jsonb_array_elements_text(${state} -> 'chronicle:sealed-state' -> 'subjects')) end`;
