-- Parley message store, schema version 3: read positions (contract 1.1, room.read).
--
-- One row per room and user: the highest seq the user marked read there (no row: 0). It only
-- moves forward, which the store's UPDATE enforces in its WHERE clause. The table stands apart
-- from rooms and messages, so marking read never takes a room's row lock, on which appends queue.
-- user_name is as wide as messages.sender: both hold a user name.
CREATE TABLE read_positions (
    room       VARCHAR(64)              NOT NULL,
    user_name  VARCHAR(255)             NOT NULL,
    seq        BIGINT                   NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT read_positions_pk PRIMARY KEY (room, user_name),
    CONSTRAINT read_positions_seq_not_negative CHECK (seq >= 0)
);
