-- Remote embedding endpoints receive catalogue text only (issue 14): drop what earlier versions had
-- a remote model embed from readers, their profile vectors and the vectors of interests that are no
-- catalogue tag, so no reader vector of a remote model rests on a text that left the device.
DELETE FROM embeddings WHERE model_id LIKE 'openai:%' AND owner_kind = 'reader';
DELETE FROM embeddings e WHERE e.model_id LIKE 'openai:%' AND e.owner_kind = 'tag'
  AND NOT EXISTS (
    SELECT 1 FROM books b, unnest(b.tags || b.subjects) AS t(tag)
     WHERE lower(regexp_replace(btrim(t.tag), '\s+', ' ', 'g')) = e.owner_id);
