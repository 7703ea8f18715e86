// Staff console: sign-in, documents, upload with preview, versions, unanswered questions, usage, audit log.
// Talks to /quan-tri/api (session cookie + X-CSRF-Token on every change). Dynamic text goes through
// textContent only.
"use strict";

const API = "/quan-tri/api";
let csrf = "";
let staged = null;

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function row(cells) {
  const tr = el("tr");
  for (const c of cells) {
    const td = el("td");
    if (c instanceof Node) td.append(c);
    else td.textContent = c === null || c === undefined ? "—" : String(c);
    tr.append(td);
  }
  return tr;
}

const when = (iso) => (iso ? new Date(iso).toLocaleString("vi-VN") : "—");
const STATUS = { in_force: "Còn hiệu lực", superseded: "Đã bị thay thế", unknown: "Chưa rõ" };
const ROLE = { primary: "Văn bản chính", reference: "Tham khảo" };
const CHANNEL = { console: "Trang quản trị", cli: "Dòng lệnh", chat: "Chat", http: "HTTP" };
const ACTION = {
  add: "Nạp văn bản",
  remove: "Xóa",
  setStatus: "Đổi tình trạng",
  update: "Sửa thông tin",
  reindex: "Dựng lại chỉ mục",
  rollback: "Khôi phục",
};
const KIND = { added: "thêm", removed: "xóa", changed: "thay" };

function notify(text, isError) {
  const n = $("notice");
  n.textContent = text;
  n.className = isError ? "notice error" : "notice";
  n.hidden = false;
}

async function call(method, path, body, headers) {
  const init = { method, headers: { ...(headers || {}) }, credentials: "same-origin" };
  if (method !== "GET") init.headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(API + path, init);
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 && path !== "/dang-nhap") showSignIn();
  if (!res.ok) throw new Error(data.error || "Có lỗi khi gửi yêu cầu.");
  return data;
}

/** Runs a change, shows its Vietnamese summary (or refusal), then refreshes the visible tab. */
async function change(method, path, body) {
  try {
    const text = await call(method, path, body);
    notify(typeof text === "string" ? text : text.text || "Đã xong.");
    await refresh();
    return true;
  } catch (err) {
    notify(err.message, true);
    return false;
  }
}

// ── sign-in ──────────────────────────────────────────────────────────────────────────────────────

function showSignIn() {
  $("app").hidden = true;
  $("signin").hidden = false;
}

function showApp(session) {
  csrf = session.csrf;
  $("who").textContent = `Đăng nhập: ${session.who}`;
  $("signin").hidden = true;
  $("app").hidden = false;
  showAlerts();
  showTab("documents");
}

/** What needs a person's action on the server (e.g. a channel that lost its authorisation). */
async function showAlerts() {
  const { alerts } = await call("GET", "/canh-bao").catch(() => ({ alerts: [] }));
  $("alerts").replaceChildren(...alerts.map((a) => el("li", "", a)));
  $("alerts").hidden = alerts.length === 0;
}

$("signin").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("signin-error").textContent = "";
  try {
    const session = await call("POST", "/dang-nhap", { name: $("signin-name").value, password: $("signin-password").value });
    $("signin-password").value = "";
    showApp(session);
  } catch (err) {
    $("signin-error").textContent = err.message;
  }
});

$("signout").addEventListener("click", async () => {
  await call("POST", "/dang-xuat").catch(() => {});
  csrf = "";
  $("notice").hidden = true;
  showSignIn();
});

// ── tabs ─────────────────────────────────────────────────────────────────────────────────────────

let currentTab = "documents";
const loaders = {};

function showTab(name) {
  // A notice belongs to the action on the tab it was shown on.
  if (name !== currentTab) $("notice").hidden = true;
  currentTab = name;
  for (const b of document.querySelectorAll(".tabs button")) b.setAttribute("aria-pressed", String(b.dataset.tab === name));
  for (const s of document.querySelectorAll(".tab")) s.hidden = s.id !== `tab-${name}`;
  return refresh();
}

/** On phones each table row becomes a card; each cell shows its column name (data-label, see quan-tri.css). */
function labelCells() {
  for (const table of document.querySelectorAll("table.grid")) {
    const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
    for (const tr of table.querySelectorAll("tbody tr")) [...tr.children].forEach((td, i) => (td.dataset.label = names[i] || ""));
  }
}

async function refresh() {
  try {
    await loaders[currentTab]?.();
    labelCells();
  } catch (err) {
    notify(err.message, true);
  }
}

for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));

// ── documents ────────────────────────────────────────────────────────────────────────────────────

loaders.documents = async () => {
  const { documents } = await call("GET", "/van-ban");
  const body = $("documents").querySelector("tbody");
  body.replaceChildren();
  for (const d of documents) {
    const actions = el("span", "row-actions");
    const edit = el("button", "", "Sửa");
    edit.addEventListener("click", () => openEdit(d));
    const remove = el("button", "danger", "Xóa");
    remove.addEventListener("click", () => {
      if (confirm(`Xóa văn bản «${d.shortTitle}» (${d.id}) khỏi kho? Có thể khôi phục ở mục Phiên bản.`))
        change("DELETE", `/van-ban/${encodeURIComponent(d.id)}`);
    });
    actions.append(edit, " ", remove);
    const status = STATUS[d.status] + (d.supersededBy ? ` (bởi ${d.supersededBy})` : "");
    body.append(
      row([d.id, d.shortTitle, d.number, d.date, d.issuer, status, ROLE[d.role] || d.role, d.sections, when(d.lastChange), actions]),
    );
  }
};

function openEdit(d) {
  const form = $("edit");
  $("edit-id").textContent = d.id;
  form.dataset.id = d.id;
  for (const k of ["title", "shortTitle", "number", "issuer", "role"]) form.elements[k].value = d[k] || "";
  form.elements.date.value = d.date ? d.date.split("-").reverse().join("/") : "";
  form.elements.status.value = d.status;
  form.elements.by.value = d.supersededBy || "";
  form.hidden = false;
  form.scrollIntoView({ behavior: "smooth" });
}

$("edit").addEventListener("submit", (e) => {
  e.preventDefault();
  const f = e.target.elements;
  const patch = {
    title: f.title.value,
    shortTitle: f.shortTitle.value,
    number: f.number.value,
    date: f.date.value,
    issuer: f.issuer.value,
    role: f.role.value,
  };
  change("PATCH", `/van-ban/${encodeURIComponent(e.target.dataset.id)}`, patch);
});
$("edit-status").addEventListener("click", () => {
  const f = $("edit").elements;
  change("POST", `/van-ban/${encodeURIComponent($("edit").dataset.id)}/tinh-trang`, { status: f.status.value, by: f.by.value });
});
$("edit-cancel").addEventListener("click", () => ($("edit").hidden = true));

// ── upload and preview ───────────────────────────────────────────────────────────────────────────

/** XHR rather than fetch: upload progress events drive the bar. */
function upload(file) {
  const bar = $("upload-progress");
  bar.hidden = false;
  bar.value = 0;
  $("upload-status").textContent = `Đang tải lên «${file.name}»…`;
  $("preview").hidden = true;
  const xhr = new XMLHttpRequest();
  xhr.open("POST", `${API}/tai-len`);
  xhr.setRequestHeader("X-CSRF-Token", csrf);
  xhr.setRequestHeader("X-Filename", encodeURIComponent(file.name));
  if ($("upload-replace").checked) xhr.setRequestHeader("X-Replace", "1");
  xhr.upload.addEventListener("progress", (e) => {
    if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
  });
  xhr.upload.addEventListener("load", () => {
    bar.value = 100;
    $("upload-status").textContent = "Đã tải lên. Đang chuyển đổi, tách mục và dựng chỉ mục thử…";
  });
  xhr.addEventListener("load", () => {
    let data = {};
    try {
      data = JSON.parse(xhr.responseText);
    } catch {}
    if (xhr.status !== 200) {
      $("upload-status").textContent = "";
      notify(data.error || "Không tải lên được tệp.", true);
      return;
    }
    $("upload-status").textContent = "Bản xem trước đã sẵn sàng. Chưa có gì thay đổi trong kho.";
    showPreview(data);
  });
  xhr.addEventListener("error", () => notify("Mất kết nối khi tải lên. Hãy thử lại.", true));
  xhr.send(file);
}

function showPreview(data) {
  staged = data;
  const meta = $("preview-meta").elements;
  for (const k of ["id", "title", "shortTitle", "number", "issuer", "style", "role"]) meta[k].value = data.document[k] || "";
  meta.date.value = data.document.date ? data.document.date.split("-").reverse().join("/") : "";
  const warnings = $("preview-warnings");
  warnings.replaceChildren(...data.warnings.map((w) => el("li", `warning ${w.code}`, w.text)));
  showRoleChoice(data.role, meta.role);
  $("preview-count").textContent = `${data.sections.length} mục`;
  $("preview-tree").replaceChildren(sectionTree(data.sections));
  $("preview-duty-count").textContent = String(data.duties.length);
  $("preview-duties").replaceChildren(
    ...data.duties.map((d) => {
      const li = el("li", "", `${d.sectionLabel}: ${d.line}${d.deadline ? ` — ${d.deadline}` : ""}`);
      li.append(el("blockquote", "quote", d.quote));
      return li;
    }),
  );
  $("preview-answer").replaceChildren();
  $("preview").hidden = false;
}

/** A new plan: ask whether it is the main plan, saying what each choice does; the choice fills the role field. */
function showRoleChoice(role, select) {
  const box = $("preview-role");
  box.hidden = !role?.ask;
  if (box.hidden) return;
  select.value = role.suggested;
  $("preview-role-choices").replaceChildren(
    ...role.choices.map((c) => {
      const label = el("label");
      const input = el("input");
      Object.assign(input, { type: "radio", name: "preview-role", value: c.value, checked: c.value === role.suggested });
      input.addEventListener("change", () => (select.value = c.value));
      label.append(input, ` ${c.label}`, el("span", "effect muted", c.effect));
      return label;
    }),
  );
}

function sectionTree(sections) {
  const lists = new Map([[null, el("ul")]]);
  for (const s of sections) {
    const li = el("li");
    li.append(el("span", "label", s.label), el("span", "", s.heading || ""));
    const parent = lists.get(s.parent ?? null) || lists.get(null);
    parent.append(li);
    const sub = el("ul");
    li.append(sub);
    lists.set(s.id, sub);
  }
  for (const ul of lists.values()) if (!ul.children.length && ul.parentNode) ul.remove();
  return lists.get(null);
}

const drop = $("drop");
for (const ev of ["dragenter", "dragover"])
  drop.addEventListener(ev, (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
for (const ev of ["dragleave", "drop"]) drop.addEventListener(ev, () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  const file = e.dataTransfer?.files?.[0];
  if (file) upload(file);
});
$("file").addEventListener("change", (e) => {
  const file = e.target.files?.[0];
  if (file) upload(file);
  e.target.value = "";
});

$("preview-ask").addEventListener("submit", async (e) => {
  e.preventDefault();
  const box = $("preview-answer");
  box.replaceChildren(el("p", "muted", "Đang trả lời theo bản xem trước…"));
  try {
    const a = await call("POST", `/tai-len/${staged.stageId}/hoi`, { question: $("preview-question").value });
    const text = el("p", a.abstained ? "answer-text abstained" : "answer-text", a.answer);
    box.replaceChildren(text, ...a.citations.map((c) => el("p", "muted", `Nguồn: ${c.title}`)));
  } catch (err) {
    box.replaceChildren(el("p", "error", err.message));
  }
});

$("preview-confirm").addEventListener("click", async () => {
  const f = $("preview-meta").elements;
  const meta = {
    id: f.id.value,
    title: f.title.value,
    shortTitle: f.shortTitle.value,
    number: f.number.value,
    date: f.date.value,
    issuer: f.issuer.value,
    style: f.style.value,
    role: f.role.value,
  };
  $("upload-status").textContent = "Đang nạp: dựng chỉ mục, kiểm tra và chuyển phiên bản…";
  const ok = await change("POST", `/tai-len/${staged.stageId}/xac-nhan`, meta);
  $("upload-status").textContent = ok ? "Đã nạp văn bản." : "";
  if (ok) $("preview").hidden = true;
});

$("preview-discard").addEventListener("click", async () => {
  if (staged) await call("DELETE", `/tai-len/${staged.stageId}`).catch(() => {});
  staged = null;
  $("preview").hidden = true;
  $("upload-progress").hidden = true;
  $("upload-status").textContent = "Đã hủy bản xem trước; kho văn bản không thay đổi.";
});

// ── versions ─────────────────────────────────────────────────────────────────────────────────────

loaders.versions = async () => {
  const { versions } = await call("GET", "/phien-ban");
  const body = $("versions").querySelector("tbody");
  body.replaceChildren();
  for (const v of versions) {
    const changes =
      v.changes.map((c) => `${KIND[c.kind]} «${c.shortTitle}» (${c.sections} mục)`).join("; ") || (v.action ? ACTION[v.action] : "—");
    const who = v.who ? `${v.who} (${CHANNEL[v.channel] || v.channel})` : "—";
    let action = el("span", "muted", v.current ? "Đang dùng" : "Không khôi phục được");
    if (!v.current && v.restorable) {
      action = el("button", "", "Khôi phục");
      action.addEventListener("click", () => {
        if (confirm(`Khôi phục phiên bản ${v.version}? Kho văn bản và câu trả lời sẽ trở lại như lúc đó.`))
          change("POST", "/khoi-phuc", { version: v.version });
      });
    }
    const tr = row([v.version, when(v.createdAt), who, changes, v.documents.length, action]);
    if (v.current) tr.className = "current";
    body.append(tr);
  }
};

// ── what users could not get answered ────────────────────────────────────────────────────────────

loaders.unanswered = async () => {
  const { groups } = await call("GET", "/chua-tra-loi");
  const list = $("unanswered");
  list.replaceChildren();
  if (!groups.length) list.append(el("li", "muted", "Chưa có câu hỏi nào cần xem."));
  for (const g of groups) {
    const li = el("li", "group");
    li.append(el("p", "q", g.question));
    const parts = [`${g.count} lần`, `lần cuối ${when(g.lastSeen)}`, `kênh: ${g.channels.join(", ")}`];
    if (g.downvoted) parts.push(`${g.downvoted} lượt 👎`);
    li.append(el("p", "meta", parts.join(" · ")));
    if (g.variants.length) li.append(el("p", "meta", `Cách hỏi khác: ${g.variants.join(" | ")}`));
    const d = el("details");
    d.append(el("summary", "", "Câu trả lời đã đưa ra"), el("p", "answer-text", g.answer));
    const done = el("button", "", "Đánh dấu đã xử lý");
    done.addEventListener("click", () => change("POST", "/chua-tra-loi/xu-ly", { key: g.key }));
    li.append(d, done);
    list.append(li);
  }
};

loaders.stats = async () => {
  const s = await call("GET", "/thong-ke");
  const body = $("stats-days").querySelector("tbody");
  body.replaceChildren(...s.days.map((d) => row([d.day.split("-").reverse().join("/"), d.channel, d.questions, d.abstained])));
  $("stats-docs").replaceChildren(...s.documents.map((d) => el("li", "", `${d.doc}: ${d.questions} câu hỏi`)));
  $("stats-agencies").replaceChildren(...s.agencies.map((a) => el("li", "", `${a.agency}: ${a.questions} câu hỏi`)));
  const votes = s.votes ?? [];
  $("stats-votes").replaceChildren(
    ...(votes.length
      ? votes.map((v) => el("li", "", `${v.channel}: ${v.up} hữu ích, ${v.down} chưa đúng`))
      : [el("li", "muted", "Chưa có đánh giá nào.")]),
  );
};

loaders.audit = async () => {
  const { entries } = await call("GET", "/nhat-ky");
  const body = $("audit").querySelector("tbody");
  const outcome = { ok: "Thành công", refused: "Bị từ chối", failed: "Lỗi hệ thống" };
  body.replaceChildren(
    ...entries.map((e) =>
      row([
        when(e.at),
        e.who,
        CHANNEL[e.channel] || e.channel,
        ACTION[e.action] || e.action,
        e.target,
        outcome[e.outcome] + (e.detail ? `: ${e.detail}` : ""),
      ]),
    ),
  );
};

// ── start ────────────────────────────────────────────────────────────────────────────────────────

call("GET", "/phien").then(showApp, showSignIn);
