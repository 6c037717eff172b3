-- Parley message store, schema version 5: direct conversations (contract 1.1, dm.send / dm.list).
--
-- A direct conversation is an ordinary room (rows in rooms and messages, its own seq run) whose
-- name the server derives from the two user names ("dm." + 32 hex). This table adds what a room
-- row cannot say: who the two participants are (authorization: only they may join or read it)
-- and, per participant, the conversation's last seq and when it last moved (dm.list, most recent
-- first). One row per conversation and participant, written once when the conversation is opened;
-- last_seq and last_at are advanced by the append that stores a message in the room, in the same
-- transaction, while it holds the room's row lock, so they never run ahead of or behind the room.
-- Schema version 4 belongs to another change (webhooks) and is independent of this one.
CREATE TABLE dm_conversations (
    room       VARCHAR(64)              NOT NULL,
    user_name  VARCHAR(255)             NOT NULL,
    with_user  VARCHAR(255)             NOT NULL,
    last_seq   BIGINT                   NOT NULL DEFAULT 0,
    last_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT dm_conversations_pk PRIMARY KEY (room, user_name),
    CONSTRAINT dm_conversations_last_seq_not_negative CHECK (last_seq >= 0)
);

-- dm.list: one user's conversations, most recent first.
CREATE INDEX dm_conversations_by_user ON dm_conversations (user_name, last_at);
