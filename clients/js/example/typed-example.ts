// A small typed use of the package, compiled (not run) by `npm run typecheck` with --strict: it
// imports "@parley/client" through package.json's "exports" and "types", as an app would.
import {
  ClosedError, ErrorCodes, ParleyClient, RefusedError, RpcError, States, TimeoutError, Transports,
  applyChange, type Change, type ChangeResult, type Conversation, type JoinResult, type Message, type RoomInfo,
  type State, type Transport,
} from "@parley/client";

async function freshToken(): Promise<string> {
  const response = await fetch("/my-app/parley-token");
  return response.text();
}

export async function chat(): Promise<void> {
  const client = new ParleyClient(ParleyClient.defaultUrl(), {
    name: "alice",
    getToken: freshToken,
    maxAttempts: 5,
    callTimeoutMs: 5_000,
    WebSocket: globalThis.WebSocket,
    transports: [Transports.WEBSOCKET, Transports.SSE],
  });
  client.addEventListener("typing", (e) => console.log(`${e.detail.user} is typing in ${e.detail.room}`));
  client.addEventListener("read", (e) => console.log(`${e.detail.user} read ${e.detail.room} up to ${e.detail.seq}`));
  client.addEventListener("transport", (e) => {
    const now: Transport = e.detail.transport;
    console.log(`falling back to ${now}; the client says ${client.transport}`);
  });
  client.addEventListener("message", (e) => {
    const m: Message = e.detail;
    console.log(`${m.room}#${m.seq} ${m.from}: ${m.text.toUpperCase()}`);
  });
  client.addEventListener("state", (e) => {
    const state: State = e.detail.state;
    if (state === States.RECONNECTING) console.log(`retry in ${e.detail.delayMs ?? 0} ms`);
  });
  client.addEventListener("error", (e) => console.warn(e.detail.room ?? "-", e.detail.error.message));

  try {
    const hello = await client.connect();
    console.log(`connected as ${hello.user}`);
  } catch (e) {
    if (e instanceof RefusedError) console.error(`refused with HTTP ${e.status}`);
    else if (e instanceof RpcError && e.code === ErrorCodes.UNAUTHORIZED) console.error("bad token");
    throw e;
  }

  const joined: JoinResult = await client.join("lobby", { since: 0 });
  const members: string[] = joined.members;
  const sent: Message = await client.send("lobby", `hi ${members.length}`);
  const position: number = await client.markRead("lobby", sent.seq);
  const info: RoomInfo = await client.info("lobby");
  const told: boolean = client.typing("lobby");
  console.log(position, info.sessions, info.members, told);
  const direct: Message = await client.sendDirect("bob", "psst");
  const talks: Conversation[] = await client.conversations({ limit: 10 });
  console.log(direct.to, talks.map((c) => `${c.with}: ${c.seq - c.lastRead} unread`));
  const shown = new Map<number, Message>([[sent.seq, sent]]);
  client.addEventListener("change", (e) => {
    const change: Change = e.detail;
    const before = shown.get(change.seq);
    if (before) shown.set(change.seq, applyChange(before, change));
  });
  const edited: ChangeResult = await client.edit("lobby", sent.seq, "hi, fixed");
  await client.react("lobby", sent.seq, "👍");
  await client.react("lobby", sent.seq, "👍", false);
  await client.deleteMessage("lobby", sent.seq);
  const changes: Change[] = await client.changes("lobby", 0, { limit: 10 });
  const rejoined: JoinResult = await client.join("lobby", { since: sent.seq, sinceRev: edited.rev });
  const where = client.positions().get("lobby");
  console.log(edited.changed, changes.length, rejoined.rev ?? 0, where?.rev ?? 0, shown.get(sent.seq)?.reactions ?? {});
  const page = await client.historyPage("lobby", { after: sent.seq - 10, limit: 10 });
  const last: number | null = client.rooms().get("lobby") ?? null;
  const sum = await client.call<{ a: number }>("echo", { a: 1 }, { timeoutMs: 1_000 });
  console.log(page.truncated, last, sum.a + 1);

  try {
    await client.leave("lobby");
  } catch (e) {
    if (e instanceof TimeoutError || e instanceof ClosedError) console.log(e.code);
  }
  client.close();
}
