// Web chat: posts questions to /api/ask and shows the answer with expandable citations.
// Every dynamic string goes through textContent (never innerHTML), so questions and quotes stay text.
"use strict";

const log = document.getElementById("log");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const sendButton = document.getElementById("send");
const intro = document.getElementById("intro");

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

function renderCitation(citation, index) {
  const item = el("li", "citation");
  const [docTitle, sectionLabel] = splitTitle(citation.title);
  const link = el("a", "cite-link", `[${index + 1}] ${citation.title}`);
  link.href = `#nguon-${index + 1}`;
  link.setAttribute("role", "button");
  link.setAttribute("aria-expanded", "false");

  const panel = el("div", "cite-panel");
  panel.hidden = true;
  const meta = el("dl", "cite-meta");
  meta.append(el("dt", "", "Văn bản"), el("dd", "", docTitle));
  if (sectionLabel) meta.append(el("dt", "", "Mục"), el("dd", "", sectionLabel));
  const quote = el("blockquote", "quote", citation.quote);
  const more = el("button", "more", "Xem toàn văn mục");
  more.type = "button";
  more.addEventListener("click", () => loadFullSection(citation, panel, more));
  panel.append(meta, quote, more);

  link.addEventListener("click", (event) => {
    event.preventDefault();
    const open = panel.hidden;
    panel.hidden = !open;
    link.setAttribute("aria-expanded", String(open));
  });
  item.append(link, panel);
  return item;
}

function renderAnswer(data) {
  const bubble = el("article", data.abstained ? "msg bot abstained" : "msg bot");
  bubble.append(el("div", "answer-text", data.answer));
  if (data.citations.length) {
    const sources = el("section", "sources");
    sources.append(el("h2", "", "Nguồn trích dẫn (bấm để xem nguyên văn)"));
    const list = el("ol", "citations");
    data.citations.forEach((c, i) => list.append(renderCitation(c, i)));
    sources.append(list);
    bubble.append(sources);
  }
  return bubble;
}

async function ask(question) {
  intro.hidden = true;
  log.append(el("p", "msg user", question));
  const waiting = el("p", "msg bot waiting", "Đang tìm trong văn bản…");
  log.append(waiting);
  scrollToEnd();
  sendButton.disabled = true;
  try {
    const res = await fetch("api/ask", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question }),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.error || "Xin lỗi, hệ thống đang gặp sự cố. Vui lòng thử lại sau.");
    waiting.replaceWith(renderAnswer(data));
  } catch (err) {
    const message = err instanceof TypeError ? "Không kết nối được máy chủ. Vui lòng kiểm tra mạng rồi thử lại." : err.message;
    waiting.replaceWith(el("p", "msg bot error", message));
  } finally {
    sendButton.disabled = false;
    scrollToEnd();
  }
}

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
