-- Parley message store, schema version 4: the webhook outbox (contract 1.1, "Application backend").
--
-- One row per event still to be POSTed to the app's backend. The transaction that causes an
-- event writes its row (an append writes one message.stored row per newly stored message), so
-- an event whose transaction committed is sent even if the process dies right after; the sender
-- deletes a row once the backend answered 2xx.
--
-- Order: events with the same order_key (the room, for message events) are delivered in id
-- order. Appends to one room queue on the room's row lock, so their ids grow in commit order.
-- A sender claims rows with SELECT ... FOR UPDATE SKIP LOCKED and holds the lock while it POSTs,
-- so in a cluster each row is in flight on one node at a time.
--
-- message.stored rows name their message by (room, seq) instead of copying it: the sender reads
-- the message when it sends. data is for events that are not a stored message (JSON text).
-- next_attempt_at is when the row may be tried again after a failed POST (backoff).
CREATE TABLE webhook_outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY,
    event_id        VARCHAR(64)              NOT NULL,
    type            VARCHAR(64)              NOT NULL,
    order_key       VARCHAR(300)             NOT NULL,
    room            VARCHAR(64),
    seq             BIGINT,
    data            VARCHAR,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts        INTEGER                  NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT webhook_outbox_pk PRIMARY KEY (id),
    CONSTRAINT webhook_outbox_event_uq UNIQUE (event_id)
);

-- The claim looks for an earlier row of the same order_key still waiting for its retry.
CREATE INDEX webhook_outbox_order_idx ON webhook_outbox (order_key, id);
