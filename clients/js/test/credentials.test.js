// The `credentials` option (contract 1.1), against a real server whose connect proxy admits
// `{"user": name}` (skipped without one): evaluated before every attempt, sent in session.hello;
// a refusal (-32006) rejects connect() with the backend's reason and is not retried.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCodes, RpcError, States } from "../src/parley.js";
import { TcpProxy, newClient, nextEvent, proxyServer, wsUrl } from "./support.js";

const server = proxyServer();
const skip = server ? false : "no server with a connect proxy (PARLEY_TEST_PROXY_PORT)";

test("credentials from an async function are asked for on every connection, reconnects included", { timeout: 60_000, skip }, async () => {
  const proxy = await TcpProxy.start(server.port);
  let asked = 0;
  const client = newClient(wsUrl(proxy.port), {
    credentials: async () => {
      asked++;
      return { user: "cleo", attempt: asked };
    },
  });
  try {
    const hello = await client.connect();
    assert.equal(hello.user, "cleo");
    assert.equal(asked, 1);
    const reopened = nextEvent(client, "state", (d) => d.state === States.OPEN);
    proxy.drop();
    assert.equal((await reopened).user, "cleo");
    assert.equal(asked, 2);
  } finally {
    client.close();
    await proxy.close();
  }
});

test("a plain value is sent as it is", { timeout: 30_000, skip }, async () => {
  const client = newClient(wsUrl(server.port), { credentials: { user: "vale" } });
  try {
    assert.equal((await client.connect()).user, "vale");
  } finally {
    client.close();
  }
});

test("a refusal rejects connect() with -32006 and the backend's reason, and is not retried", { timeout: 30_000, skip }, async () => {
  let asked = 0;
  const client = newClient(wsUrl(server.port), {
    credentials: () => {
      asked++;
      return "not an object";
    },
  });
  const failure = await client.connect().then(() => assert.fail("connect() resolved"), (e) => e);
  assert.ok(failure instanceof RpcError, `expected an RpcError, got ${failure}`);
  assert.equal(failure.code, ErrorCodes.REJECTED);
  assert.equal(failure.data.reason, "no user");
  assert.equal(asked, 1);
  client.close();
});
