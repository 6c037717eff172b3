-- Parley message store, schema version 6: edits, deletions and reactions (contract 1.1).
--
-- Every stored change to a message gets the room's next rev: rooms.last_rev is the change counter
-- beside last_seq, and a change takes the room's row lock (SELECT ... FOR UPDATE) like an append,
-- so each rev is handed out once, without a gap, also across server processes. Existing rooms
-- start at 0, so their first change is rev 1; existing messages keep their seq and their text.
ALTER TABLE rooms ADD COLUMN last_rev BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD CONSTRAINT rooms_last_rev_not_negative CHECK (last_rev >= 0);

-- A message's current state lives on its row, so history and recovery read it with the message:
-- edited_at is the last edit's time (NULL: never edited), edits counts them (bounded by the
-- server), deleted is set once (the text is then emptied, so a deleted message's words are not
-- kept), reactions counts its rows in reactions so that a page without any skips that query.
ALTER TABLE messages ADD COLUMN edited_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE messages ADD COLUMN edits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE messages ADD COLUMN reactions INTEGER NOT NULL DEFAULT 0;

-- One row per message, emoji and user who reacted with it; rev orders a message's reactions as
-- they were made. An emoji is 1-32 code points: 128 UTF-16 units hold any of them in H2.
CREATE TABLE reactions (
    room      VARCHAR(64)  NOT NULL,
    seq       BIGINT       NOT NULL,
    emoji     VARCHAR(128) NOT NULL,
    user_name VARCHAR(255) NOT NULL,
    rev       BIGINT       NOT NULL,
    CONSTRAINT reactions_pk PRIMARY KEY (room, seq, emoji, user_name),
    CONSTRAINT reactions_message_fk FOREIGN KEY (room, seq) REFERENCES messages (room, seq)
);

-- The change log: what chat.change announced, for recovery (room.join sinceRev) and chat.changes.
-- The primary key (room, rev) serves both. kind is edit, delete or react; text is an edit's new
-- text (emptied when the message is deleted later), emoji and on_flag a reaction's.
CREATE TABLE message_changes (
    room      VARCHAR(64)              NOT NULL,
    rev       BIGINT                   NOT NULL,
    seq       BIGINT                   NOT NULL,
    kind      VARCHAR(8)               NOT NULL,
    user_name VARCHAR(255)             NOT NULL,
    ts        TIMESTAMP WITH TIME ZONE NOT NULL,
    text      VARCHAR,
    emoji     VARCHAR(128),
    on_flag   BOOLEAN,
    CONSTRAINT message_changes_pk PRIMARY KEY (room, rev),
    CONSTRAINT message_changes_rev_positive CHECK (rev > 0),
    CONSTRAINT message_changes_kind CHECK (kind IN ('edit', 'delete', 'react'))
);

-- message.changed webhook rows name their change by (room, rev), as message.stored rows name
-- their message by (room, seq): the sender reads it when it sends.
ALTER TABLE webhook_outbox ADD COLUMN rev BIGINT;
