// Web chat: posts questions to /api/ask in one conversation and shows each reply as a chat reply: the direct
// answer in bold, verbatim quotes with the number of their source, lists as lists, one list of sources (each
// shown once), "Xem thêm", 👍/👎 (POST /api/feedback) and "Câu hỏi mới".
// Every dynamic string goes through textContent (never innerHTML), so questions and quotes stay text.
"use strict";

const log = document.getElementById("log");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const sendButton = document.getElementById("send");
const intro = document.getElementById("intro");
const newChatButton = document.getElementById("new-chat");

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function scrollToEnd() {
  window.scrollTo({ top: document.body.scrollHeight, behavior: "smooth" });
}

/** "Tên văn bản — Mục IV.2" → ["Tên văn bản", "Mục IV.2"]. */
function splitTitle(title) {
  const at = title.lastIndexOf(" — ");
  return at < 0 ? [title, ""] : [title.slice(0, at), title.slice(at + 3)];
}

async function loadFullSection(citation, box, link) {
  link.disabled = true;
  link.textContent = "Đang tải…";
  try {
    const res = await fetch(`api/sections/${encodeURIComponent(citation.doc)}/${encodeURIComponent(citation.section)}`);
    const data = await res.json();
    if (!res.ok) throw new Error(data.error || "Không tải được mục văn bản.");
    const full = el("div", "full");
    full.append(el("p", "full-label", "Toàn văn mục"));
    for (const s of data.sections) {
      if (!s.headingIsText && s.heading) full.append(el("p", "full-heading", s.heading));
      const texts = (s.headingIsText ? [s.heading] : []).concat(s.paragraphs);
      for (const t of texts) full.append(el("p", "", t));
    }
    if (data.truncated) full.append(el("p", "muted", "Mục này còn các nội dung tiếp theo; vui lòng xem văn bản gốc."));
    link.replaceWith(full);
  } catch (err) {
    link.disabled = false;
    link.textContent = "Xem toàn văn mục";
    box.append(el("p", "error", err.message));
  }
}

/** The sources of one reply, each cited section once; quotes of the same section share its entry. */
function createSourceList() {
  const section = el("section", "sources");
  const heading = el("h2", "", "Nguồn (bấm để xem nguyên văn)");
  section.append(heading);
  const list = el("ol", "citations");
  section.append(list);
  section.hidden = true;
  const entries = new Map();

  function entryFor(citation) {
    const key = `${citation.doc}#${citation.section}`;
    if (entries.has(key)) return entries.get(key);
    const number = entries.size + 1;
    const item = el("li", "citation");
    const link = el("a", "cite-link", `[${number}] ${citation.title}`);
    link.href = `#nguon-${number}`;
    link.setAttribute("role", "button");
    link.setAttribute("aria-expanded", "false");
    const panel = el("div", "cite-panel");
    panel.hidden = true;
    const [docTitle, sectionLabel] = splitTitle(citation.title);
    const meta = el("dl", "cite-meta");
    meta.append(el("dt", "", "Văn bản"), el("dd", "", docTitle));
    if (sectionLabel) meta.append(el("dt", "", "Mục"), el("dd", "", sectionLabel));
    const quotes = el("div", "cite-quotes");
    const full = el("button", "more", "Xem toàn văn mục");
    full.type = "button";
    full.addEventListener("click", () => loadFullSection(citation, panel, full));
    panel.append(meta, quotes, full);
    const toggle = (open) => {
      panel.hidden = !open;
      link.setAttribute("aria-expanded", String(open));
    };
    link.addEventListener("click", (event) => {
      event.preventDefault();
      toggle(panel.hidden);
    });
    item.append(link, panel);
    list.append(item);
    section.hidden = false;
    const entry = { number, title: citation.title, quotes: new Set(), box: quotes, link, toggle };
    entries.set(key, entry);
    return entry;
  }

  return {
    element: section,
    /** Registers a citation; returns its source number. */
    add(citation) {
      const entry = entryFor(citation);
      if (!entry.quotes.has(citation.quote)) {
        entry.quotes.add(citation.quote);
        entry.box.append(el("blockquote", "quote", citation.quote));
      }
      return entry.number;
    },
    /** A small numbered link to a source (after a quote): opens its entry in the list. */
    ref(citation) {
      const entry = entryFor(citation);
      const ref = el("a", "cite-ref", String(entry.number));
      ref.href = `#nguon-${entry.number}`;
      ref.setAttribute("aria-label", `Nguồn ${entry.number}: ${entry.title}`);
      ref.addEventListener("click", (event) => {
        event.preventDefault();
        entry.toggle(true);
        entry.link.scrollIntoView({ block: "nearest", behavior: "smooth" });
        entry.link.focus();
      });
      return ref;
    },
  };
}

/** A list item's marker: "-", "•", "*" (bullets) or "1.", "2)" (numbers). */
const LIST_ITEM = /^(?:[-•*]|(\d{1,3})[.)])\s+/;

/**
 * Where a citation's quote sits in `text`: the whole quote, or the shortened form lists show (its start, then "…").
 */
function findQuote(text, quote) {
  if (!quote) return null;
  const at = text.indexOf(quote);
  if (at >= 0) return { at, end: at + quote.length };
  const head = quote.slice(0, 30);
  for (let from = text.indexOf(head); from >= 0; from = text.indexOf(head, from + 1)) {
    const cut = text.indexOf("…", from);
    if (cut > from && quote.startsWith(text.slice(from, cut).trimEnd())) return { at: from, end: cut + 1 };
  }
  return null;
}

/** The first quote of any citation in `text`, with the citation. */
function firstQuote(text, citations) {
  let best = null;
  for (const citation of citations) {
    const found = findQuote(text, citation.quote);
    if (found && (!best || found.at < best.at)) best = { ...found, citation };
  }
  return best;
}

/** The words around a quote without the citation title the source list shows ("Theo <title>:", "(<title>)"). */
function withoutTitle(before, after, title) {
  let lead = before;
  if (lead.trimEnd().endsWith(`${title}:`))
    lead = lead
      .trimEnd()
      .slice(0, -title.length - 1)
      .replace(/(^|\s)Theo\s*$/, "$1");
  let tail = after;
  if (tail.trimStart().startsWith(`(${title})`)) tail = tail.trimStart().slice(title.length + 2);
  return [lead, tail];
}

/** The words around a block quote: without the title, the quote marks and the spaces next to the quote. */
function aroundQuote(before, after, title) {
  const [lead, tail] = withoutTitle(before.replace(/[«“"]\s*$/, ""), after.replace(/^\s*[»”"]/, ""), title);
  return [lead.trimEnd(), tail.trim()];
}

// A word that starts with "/" and holds "." or "-" is a path on this site (/lich.ics, /trach-nhiem); commands never do.
const LINK = /(https?:\/\/[^\s<>"]+[^\s<>".,;:)]|(?<![\w/])\/[\w]+(?:[-.][\w]+)+)/g;

/** Text with its web addresses as links (built as nodes, never as HTML). */
function linkified(text) {
  const nodes = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    if (m.index > last) nodes.push(document.createTextNode(text.slice(last, m.index)));
    const a = el("a", "", m[0]);
    a.href = m[0];
    nodes.push(a);
    last = m.index + m[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/**
 * One run of reply text: the words with their links, each verbatim quote as a quote (a block in a paragraph,
 * inline in a list item) followed by the number of its source. Returns the nodes and whether it held a quote.
 */
function renderRun(text, citations, sources, inline) {
  const nodes = [];
  let rest = text;
  let quoted = false;
  for (let found = firstQuote(rest, citations); found; found = firstQuote(rest, citations)) {
    quoted = true;
    const { citation } = found;
    sources.add(citation);
    // Inline, the quote marks stay with the quote and its source number follows them.
    const at = inline && /[«“"]/.test(rest[found.at - 1] ?? "") ? found.at - 1 : found.at;
    const end = inline && /[»”"]/.test(rest[found.end] ?? "") ? found.end + 1 : found.end;
    const around = inline ? withoutTitle : aroundQuote;
    const [lead, tail] = around(rest.slice(0, at), rest.slice(end), citation.title);
    if (lead) nodes.push(...linkified(lead));
    const shown = rest.slice(at, end);
    if (inline) {
      const span = el("span", "quoted", shown);
      nodes.push(span, sources.ref(citation));
    } else {
      const quote = el("blockquote", "quote", shown);
      quote.append(sources.ref(citation));
      nodes.push(quote);
    }
    rest = tail;
  }
  if (rest.trim()) nodes.push(...linkified(rest));
  return { nodes, quoted };
}

/** A paragraph's lines as blocks: runs of plain lines, and lists (consecutive "- …", "• …" or "1. …" lines). */
function lineBlocks(paragraph) {
  const blocks = [];
  for (const line of paragraph.split("\n")) {
    const marker = LIST_ITEM.exec(line);
    const last = blocks[blocks.length - 1];
    if (marker) {
      const ordered = marker[1] !== undefined;
      const item = line.slice(marker[0].length);
      if (last?.list && last.ordered === ordered) last.items.push(item);
      else blocks.push({ list: true, ordered, start: ordered ? Number(marker[1]) : 1, items: [item] });
    } else if (last && !last.list) last.lines.push(line);
    else blocks.push({ list: false, lines: [line] });
  }
  return blocks;
}

/**
 * Reply text as chat paragraphs: the first words (the direct answer) in bold, verbatim quotes as quotes with the
 * number of their source, lists as lists; every citation registered once in `sources`, and quotes the text does
 * not hold after it.
 */
function renderReplyBody(text, citations, sources, boldFirst) {
  const body = el("div", "reply-body");
  let bold = boldFirst;
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const paragraph of paragraphs)
    for (const block of lineBlocks(paragraph)) {
      if (block.list) {
        const list = el(block.ordered ? "ol" : "ul", "reply-list");
        if (block.ordered && block.start !== 1) list.start = block.start;
        for (const item of block.items) {
          const li = el("li");
          li.append(...renderRun(item, citations, sources, true).nodes);
          list.append(li);
        }
        body.append(list);
        bold = false;
        continue;
      }
      const { nodes, quoted } = renderRun(block.lines.join("\n"), citations, sources, false);
      const holder = el(quoted ? "div" : "p", bold ? "reply-text lead" : "reply-text");
      // The direct answer: the words before the first quote.
      if (bold && nodes[0] && nodes[0].nodeName !== "BLOCKQUOTE") {
        const strong = el("strong");
        while (nodes[0] && nodes[0].nodeName !== "BLOCKQUOTE") strong.append(nodes.shift());
        holder.append(strong);
      }
      holder.append(...nodes);
      if (holder.childNodes.length) body.append(holder);
      bold = false;
    }
  for (const c of citations) {
    // Every citation is in the list, also one whose quote the text shows in a form not matched above.
    sources.add(c);
    if (paragraphs.some((p) => findQuote(p, c.quote))) continue;
    const quote = el("blockquote", "quote", c.quote);
    quote.append(sources.ref(c));
    body.append(quote);
  }
  return body;
}

/** 👍/👎 under an answer: the vote goes to the same feedback store as the Telegram and Zalo buttons. */
function voteRow(answerId) {
  const row = el("div", "votes");
  row.setAttribute("role", "group");
  row.setAttribute("aria-label", "Đánh giá câu trả lời");
  const status = el("span", "vote-status");
  status.setAttribute("role", "status");
  const buttons = [
    ["up", "👍", "Hữu ích", "Câu trả lời hữu ích"],
    ["down", "👎", "Chưa đúng", "Câu trả lời chưa đúng"],
  ].map(([vote, icon, text, label]) => {
    const button = el("button", `vote vote-${vote}`);
    button.type = "button";
    button.setAttribute("aria-label", label);
    button.setAttribute("aria-pressed", "false");
    button.append(el("span", "", icon), ` ${text}`);
    button.firstChild.setAttribute("aria-hidden", "true");
    button.addEventListener("click", () => void sendVote(vote, button));
    return button;
  });
  async function sendVote(vote, chosen) {
    for (const b of buttons) b.disabled = true;
    try {
      const res = await fetch("api/feedback", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ answerId, vote }),
      });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(data.error || "Chưa gửi được góp ý. Vui lòng thử lại.");
      for (const b of buttons) b.setAttribute("aria-pressed", String(b === chosen));
      status.textContent = data.message;
    } catch (err) {
      status.textContent = err instanceof TypeError ? "Không kết nối được máy chủ. Vui lòng thử lại." : err.message;
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }
  row.append(...buttons, status);
  return row;
}

function renderAnswer(data) {
  const bubble = el("article", data.abstained ? "msg bot abstained" : "msg bot");
  if (data.resolvedQuestion) bubble.append(el("p", "read-as", `Câu hỏi được hiểu là: «${data.resolvedQuestion}»`));
  const sources = createSourceList();
  bubble.append(renderReplyBody(data.answer, data.citations, sources, !data.abstained && !data.command));
  if (data.more) {
    const more = el("button", "show-more", "Xem thêm");
    more.type = "button";
    more.setAttribute("aria-label", "Xem thêm phần còn lại của câu trả lời");
    more.addEventListener("click", () => {
      const extra = el("section", "more-text");
      extra.append(el("h2", "", "Xem thêm"), renderReplyBody(data.more.text, data.more.citations, sources, false));
      more.replaceWith(extra);
    });
    bubble.append(more);
  }
  bubble.append(sources.element);
  if (data.answerId !== undefined) bubble.append(voteRow(data.answerId));
  return bubble;
}

/** The conversation this page is in (follow-ups are read with its earlier questions); kept for the tab's life. */
let conversationId = sessionStorage.getItem("conversationId") || undefined;

async function postQuestion(question) {
  const res = await fetch("api/ask", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(conversationId ? { question, conversationId } : { question }),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || "Xin lỗi, hệ thống đang gặp sự cố. Vui lòng thử lại sau.");
  if (data.conversationId) {
    conversationId = data.conversationId;
    sessionStorage.setItem("conversationId", conversationId);
  }
  return data;
}

async function ask(question) {
  intro.hidden = true;
  log.append(el("p", "msg user", question));
  const waiting = el("p", "msg bot waiting", "Đang tìm trong văn bản…");
  log.append(waiting);
  scrollToEnd();
  sendButton.disabled = true;
  try {
    waiting.replaceWith(renderAnswer(await postQuestion(question)));
  } catch (err) {
    const message = err instanceof TypeError ? "Không kết nối được máy chủ. Vui lòng kiểm tra mạng rồi thử lại." : err.message;
    waiting.replaceWith(el("p", "msg bot error", message));
  } finally {
    sendButton.disabled = false;
    scrollToEnd();
  }
}

// "Câu hỏi mới": the server forgets the conversation, the page clears it and starts a new one.
newChatButton.addEventListener("click", async () => {
  const old = conversationId;
  conversationId = undefined;
  sessionStorage.removeItem("conversationId");
  for (const node of [...log.children]) if (node !== intro) node.remove();
  intro.hidden = false;
  input.focus();
  if (old) {
    await fetch("api/ask", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "/moi", conversationId: old }),
    }).catch(() => undefined);
  }
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const question = input.value.trim();
  if (!question) return;
  input.value = "";
  input.style.height = "";
  void ask(question);
});

// Enter sends, Shift+Enter starts a new line.
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

input.addEventListener("input", () => {
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
});

// Name, subject and example questions come from the corpus profile of the version serving.
async function loadProfile() {
  try {
    const res = await fetch("api/profile");
    if (!res.ok) return;
    const profile = await res.json();
    document.title = profile.name;
    document.getElementById("assistant-name").textContent = profile.name;
    document.getElementById("assistant-subject").textContent = profile.description;
    const examples = document.getElementById("examples");
    for (const question of profile.examples) {
      const button = el("button", "example", question);
      button.type = "button";
      button.addEventListener("click", () => void ask(question));
      examples.append(button);
    }
  } catch {
    // The page works without examples.
  }
}
void loadProfile();

// Deep links from the responsibility table: /#doc=<id>&section=III.3 shows that section's full text.
async function showLinkedSection() {
  const params = new URLSearchParams(location.hash.slice(1));
  const doc = params.get("doc");
  const section = params.get("section");
  if (!doc || !section) return;
  intro.hidden = true;
  const bubble = el("article", "msg bot");
  const more = el("button", "more", "Xem toàn văn mục");
  bubble.append(el("p", "full-label", `${doc} — ${section}`), more);
  log.append(bubble);
  await loadFullSection({ doc, section }, bubble, more);
  scrollToEnd();
}
window.addEventListener("hashchange", () => void showLinkedSection());
void showLinkedSection();
