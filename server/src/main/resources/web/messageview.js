// One message of the chat page as a list item, kept in its current state (contract 1.1): its text
// or, once deleted, a placeholder; an "edited" marker; reactions with counts that toggle your own;
// and, on your own messages, Edit and Delete. Text, emoji and names go in as textContent only.

/** The reactions offered by the React button; any other emoji someone used shows and toggles too. */
const QUICK_EMOJI = ["👍", "❤️", "😂", "🎉", "😮"];
/** How long a Delete button waits for its second click. */
const CONFIRM_MS = 4_000;

/**
 * Builds the item for `message`; `actions` = {me, edit(seq, text), remove(seq), react(seq, emoji, on)},
 * each returning a promise (a failure is shown on the item).
 */
export function messageItem(message, actions) {
  const li = document.createElement("li");
  li.className = "message";
  li.dataset.seq = String(message.seq);
  const head = document.createElement("div");
  head.className = "head";
  const from = document.createElement("span");
  from.className = "from";
  from.textContent = message.from;
  const time = document.createElement("time");
  time.dateTime = message.ts;
  time.textContent = new Date(message.ts).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const edited = document.createElement("span");
  edited.className = "edited";
  edited.textContent = "(edited)";
  head.append(from, time, edited);
  const text = document.createElement("span");
  text.className = "text";
  const reactions = document.createElement("div");
  reactions.className = "reactions";
  const tools = document.createElement("div");
  tools.className = "tools";
  const error = document.createElement("span");
  error.className = "item-error";
  li.append(head, text, reactions, tools, error);
  li.parleyActions = actions;
  updateItem(li, message);
  return li;
}

/** Shows `message`'s current state in its item; an edit form that is open stays as it is. */
export function updateItem(li, message) {
  const actions = li.parleyActions;
  const mine = message.from === actions.me;
  li.parleyMessage = message;
  li.classList.toggle("mine", mine);
  li.classList.toggle("deleted", message.deleted === true);
  const edited = li.querySelector(".edited");
  edited.hidden = !message.edited;
  if (message.edited) {
    edited.title = `edited ${new Date(message.edited).toLocaleString()}`;
  }
  const text = li.querySelector(".text");
  if (message.deleted) {
    li.querySelector(".edit-form")?.remove();
    text.hidden = false;
    text.textContent = "message deleted";
  } else {
    text.textContent = message.text;
  }
  drawReactions(li, message);
  drawTools(li, message, mine);
}

function drawReactions(li, message) {
  const { me, react } = li.parleyActions;
  const buttons = Object.entries(message.deleted ? {} : message.reactions || {}).map(([emoji, users]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "reaction";
    button.dataset.emoji = emoji;
    const own = users.includes(me);
    button.setAttribute("aria-pressed", String(own));
    button.title = users.join(", ");
    const face = document.createElement("span");
    face.className = "emoji";
    face.textContent = emoji;
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = String(users.length);
    button.append(face, count);
    button.addEventListener("click", () => attempt(li, react(message.seq, emoji, !own)));
    return button;
  });
  li.querySelector(".reactions").replaceChildren(...buttons);
}

function drawTools(li, message, mine) {
  const tools = li.querySelector(".tools");
  if (message.deleted) {
    tools.replaceChildren();
    return;
  }
  const { edit, remove, react, me } = li.parleyActions;
  const picker = document.createElement("span");
  picker.className = "picker";
  picker.hidden = true;
  for (const emoji of QUICK_EMOJI) {
    const pick = button("pick", emoji, () => {
      picker.hidden = true;
      const own = (li.parleyMessage.reactions?.[emoji] || []).includes(me);
      attempt(li, react(message.seq, emoji, !own));
    });
    pick.dataset.emoji = emoji;
    picker.append(pick);
  }
  const parts = [button("react", "React", () => { picker.hidden = !picker.hidden; }), picker];
  if (mine) {
    parts.push(button("edit", "Edit", () => openEditor(li, edit)));
    const del = button("delete", "Delete", () => {
      if (del.dataset.confirm !== "true") {
        del.dataset.confirm = "true";
        del.textContent = "Delete?";
        setTimeout(() => { del.dataset.confirm = "false"; del.textContent = "Delete"; }, CONFIRM_MS);
        return;
      }
      attempt(li, remove(message.seq));
    });
    parts.push(del);
  }
  tools.replaceChildren(...parts);
}

function openEditor(li, edit) {
  if (li.querySelector(".edit-form") || li.parleyMessage.deleted) return;
  const text = li.querySelector(".text");
  const form = document.createElement("form");
  form.className = "edit-form";
  const input = document.createElement("input");
  input.className = "edit-text";
  input.maxLength = 4096;
  input.required = true;
  input.value = li.parleyMessage.text;
  input.setAttribute("aria-label", "New text");
  const save = document.createElement("button");
  save.type = "submit";
  save.className = "save";
  save.textContent = "Save";
  const cancel = button("cancel secondary", "Cancel", () => close());
  const close = () => {
    form.remove();
    text.hidden = false;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const seq = li.parleyMessage.seq;
    if (input.value === li.parleyMessage.text) {
      close();
      return;
    }
    save.disabled = true;
    if (await attempt(li, edit(seq, input.value))) {
      close(); // the change event shows the new text
    }
    save.disabled = false;
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  form.append(input, save, cancel);
  text.hidden = true;
  text.after(form);
  input.focus();
}

/** Runs an action's promise; a refusal is shown on the item. Resolves true when it succeeded. */
async function attempt(li, promise) {
  const error = li.querySelector(".item-error");
  error.textContent = "";
  try {
    await promise;
    return true;
  } catch (e) {
    error.textContent = e.message;
    return false;
  }
}

function button(className, label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}
