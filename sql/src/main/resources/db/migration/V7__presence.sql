-- Parley message store, schema version 7: cluster-wide presence for the webhook events
-- room.occupied / room.vacated and user.online / user.offline (contract 1.1, "Application
-- backend"). Schema version 6 belongs to another change and is independent of this one.
--
-- A presence key is a room ("room:<name>") or a user ("user:<name>"). A node holds a key while
-- the room has a member on it, or the user a session on it: one presence_holders row per key and
-- node. A node changes its rows only while it holds the key's presence_keys row lock (SELECT ...
-- FOR UPDATE), in the transaction that also writes the webhook event when the key's first holder
-- came or its last one went; so in a cluster each such transition writes exactly one event, and a
-- key's events are written (and numbered in webhook_outbox) in the order they happened.
-- presence_keys rows are created once (INSERT ... ON CONFLICT DO NOTHING, in a transaction of
-- their own) and kept, so the lock always finds its row.
--
-- presence_nodes is each node's lease: a node writes seen_at (the database's clock) every few
-- seconds; a node silent for longer than the lease is taken for dead, and any other node removes
-- its holdings (writing the events of the keys it was the last holder of) and its lease row.
CREATE TABLE presence_keys (
    presence_key VARCHAR(300) NOT NULL,
    CONSTRAINT presence_keys_pk PRIMARY KEY (presence_key)
);

CREATE TABLE presence_holders (
    presence_key VARCHAR(300) NOT NULL,
    node         VARCHAR(64)  NOT NULL,
    CONSTRAINT presence_holders_pk PRIMARY KEY (presence_key, node)
);

-- A node's holdings, for its clean stop and for removing a dead node.
CREATE INDEX presence_holders_by_node ON presence_holders (node);

CREATE TABLE presence_nodes (
    node    VARCHAR(64)              NOT NULL,
    seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT presence_nodes_pk PRIMARY KEY (node)
);
