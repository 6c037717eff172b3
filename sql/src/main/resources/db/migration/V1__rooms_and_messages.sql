-- Parley message store, schema version 1.
--
-- This one file runs unchanged on PostgreSQL 15 and on H2 2.4 in PostgreSQL mode
-- (MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH), so it sticks to
-- the SQL both understand: no TEXT (H2 maps it to CLOB), no SERIAL, no partial indexes.

-- One row per room. last_seq is the room's message counter: an append locks this row
-- (SELECT ... FOR UPDATE), so writers of one room queue up here, also across several
-- server processes, and each seq is handed out exactly once with no gap.
-- 64 characters matches the longest room name the protocol allows.
CREATE TABLE rooms (
    name       VARCHAR(64)              NOT NULL,
    last_seq   BIGINT                   NOT NULL DEFAULT 0,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT rooms_pk PRIMARY KEY (name),
    CONSTRAINT rooms_last_seq_not_negative CHECK (last_seq >= 0)
);

-- Every stored message. The primary key (room, seq) is also the index that serves history
-- paging in both directions and recovery (seq > since), so no other index is needed for reads.
--
-- text is VARCHAR without a length: unbounded in PostgreSQL, and up to 1,000,000 characters
-- of in-row storage in H2 (not a CLOB), far above the protocol's limits; the server enforces
-- the configured text limit, the schema only must never be the reason a legal text fails.
-- sender and client_id get 255 characters so that user names taken from a token's subject
-- and client-made ids fit; the store rejects longer values before touching the database.
CREATE TABLE messages (
    room      VARCHAR(64)              NOT NULL,
    seq       BIGINT                   NOT NULL,
    sender    VARCHAR(255)             NOT NULL,
    text      VARCHAR                  NOT NULL,
    client_id VARCHAR(255),
    ts        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT messages_pk PRIMARY KEY (room, seq),
    CONSTRAINT messages_seq_positive CHECK (seq > 0),
    CONSTRAINT messages_room_fk FOREIGN KEY (room) REFERENCES rooms (name),
    -- The idempotency key: a repeated clientId from the same sender in the same room is the
    -- same message. NULLs are distinct in both databases, so messages without a clientId
    -- never collide. The columns are in the order (room, client_id, sender), not the order
    -- the key is usually spoken of, because the duplicate lookup asks for one room and a
    -- set of client ids (then checks the sender): that query can use this index's prefix.
    CONSTRAINT messages_idempotency_uq UNIQUE (room, client_id, sender)
);
