// Web chat: posts questions to /api/ask in one conversation and shows each reply as a chat reply: the direct
// answer in bold, verbatim quotes with a source label, one list of sources, "Xem thêm" and "Câu hỏi mới".
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
  section.append(el("h2", "", "Nguồn (bấm để xem nguyên văn)"));
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
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const open = panel.hidden;
      panel.hidden = !open;
      link.setAttribute("aria-expanded", String(open));
    });
    item.append(link, panel);
    list.append(item);
    section.hidden = false;
    const entry = { number, quotes: new Set(), box: quotes };
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
  };
}

/** A verbatim quote with a small source label ("[2] Văn bản — Điều 1, khoản 2"). */
function renderQuote(citation, number) {
  const figure = el("figure", "reply-quote");
  figure.append(el("blockquote", "quote", citation.quote));
  figure.append(el("figcaption", "source-label", `[${number}] ${citation.title}`));
  return figure;
}

/** The words around a quote, without the citation title the source label already shows. */
function aroundQuote(before, after, title) {
  let lead = before.trimEnd();
  if (lead.endsWith(`${title}:`))
    lead = lead
      .slice(0, -title.length - 1)
      .trimEnd()
      .replace(/(^|\s)Theo$/, "")
      .trimEnd();
  let tail = after.trim();
  if (tail.startsWith(`(${title})`)) tail = tail.slice(title.length + 2).trim();
  return [lead, tail];
}

/** A paragraph of reply text; the direct answer is bold. */
function textParagraph(text, bold) {
  if (!bold) return el("p", "reply-text", text);
  const p = el("p", "lead");
  p.append(el("strong", "", text));
  return p;
}

/**
 * Reply text as chat paragraphs: the first (the direct answer) in bold, each verbatim quote as a quote with
 * its source label, every citation registered once in `sources`; quotes the text does not hold follow it.
 */
function renderReplyBody(text, citations, sources, boldFirst) {
  const body = el("div", "reply-body");
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  paragraphs.forEach((paragraph, i) => {
    let rest = paragraph;
    let bold = i === 0 && boldFirst;
    // Each quote the paragraph holds, in order: the words before it, then the quote with its source label.
    for (;;) {
      const found = citations
        .filter((c) => c.quote && rest.includes(c.quote))
        .sort((a, b) => rest.indexOf(a.quote) - rest.indexOf(b.quote))[0];
      if (!found) break;
      const at = rest.indexOf(found.quote);
      // Guillemets around the quote belong to the text layout, not to the quote.
      const before = rest.slice(0, at).replace(/[«“"]\s*$/, "");
      const after = rest.slice(at + found.quote.length).replace(/^\s*[»”"]/, "");
      const [lead, tail] = aroundQuote(before, after, found.title);
      if (lead) body.append(textParagraph(lead, bold));
      body.append(renderQuote(found, sources.add(found)));
      bold = false;
      rest = tail;
    }
    if (rest) body.append(textParagraph(rest, bold));
  });
  for (const c of citations) {
    const inText = paragraphs.some((p) => p.includes(c.quote));
    const number = sources.add(c);
    if (!inText) body.append(renderQuote(c, number));
  }
  return body;
}

function renderAnswer(data) {
  const bubble = el("article", data.abstained ? "msg bot abstained" : "msg bot");
  if (data.resolvedQuestion) bubble.append(el("p", "read-as", `Câu hỏi được hiểu là: «${data.resolvedQuestion}»`));
  const sources = createSourceList();
  bubble.append(renderReplyBody(data.answer, data.citations, sources, !data.abstained));
  if (data.more) {
    const more = el("button", "show-more", "Xem thêm");
    more.type = "button";
    more.addEventListener("click", () => {
      const extra = el("section", "more-text");
      extra.append(el("h2", "", "Xem thêm"), renderReplyBody(data.more.text, data.more.citations, sources, false));
      more.replaceWith(extra);
    });
    bubble.append(more);
  }
  bubble.append(sources.element);
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
