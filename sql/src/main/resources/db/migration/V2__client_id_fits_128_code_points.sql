-- Parley message store, schema version 2: client_id grows from 255 to 512 characters.
--
-- The protocol allows a clientId of 128 characters counted in Unicode code points. H2 counts
-- VARCHAR(n) in UTF-16 units (a character outside the Basic Multilingual Plane, such as an
-- emoji, is two), PostgreSQL in code points; 512 holds 128 code points of any kind in both,
-- with room to spare. Widening a VARCHAR rewrites no rows and no index in PostgreSQL; the
-- unique constraint messages_idempotency_uq stays as it is.
ALTER TABLE messages ALTER COLUMN client_id SET DATA TYPE VARCHAR(512);
