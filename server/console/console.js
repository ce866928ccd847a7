// Agent console for lcw-server. Plain JS, no framework. Everything a visitor
// or agent typed is rendered with textContent, never innerHTML.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem('lcw_agent_token'), agent: null, selectedOffline: null, ws: null, convs: new Map(), selected: null, pending: new Map(), retry: 0 };

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
// What a visitor typed, isolated from the text around it (`<bdi>`: its
// own direction, found from its first strong letter): a right-to-left
// override or an Arabic name cannot reorder the time, the email or the
// size shown beside it.
function bidi(text) { return el('bdi', text); }
// An element of `tag` holding `parts` in order: a string is text, a node
// is itself (a `bidi()` for what a visitor typed).
function line(tag, parts, cls) {
  const e = el(tag, null, cls);
  e.append(...parts);
  return e;
}
function status(text) { $('status').textContent = text; }
function newId() { return (crypto.randomUUID ? crypto.randomUUID() : Date.now() + '-' + Math.random().toString(16).slice(2)); }

async function login(ev) {
  ev.preventDefault();
  const f = new FormData($('login'));
  $('login-error').textContent = '';
  try {
    const r = await fetch('/v1/agent/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: f.get('username'), password: f.get('password') }) });
    const body = await r.json();
    if (!r.ok) { $('login-error').textContent = body.message || 'Sign-in failed'; return; }
    remember(body);
    connect();
  } catch (e) { $('login-error').textContent = 'Server unreachable'; }
}

/** Keeps a sign-in (login or refresh answer) and plans its refresh. */
function remember(body) {
  state.token = body.token;
  sessionStorage.setItem('lcw_agent_token', body.token);
  sessionStorage.setItem('lcw_agent_expires', String(body.expiresAt));
  if (body.signedInUntil) sessionStorage.setItem('lcw_agent_until', String(body.signedInUntil));
  else sessionStorage.removeItem('lcw_agent_until');
  planRefresh();
}

/**
 * An open console stays signed in: halfway to its token's expiry it swaps
 * the token for a new one (POST /v1/agent/refresh); the open socket carries
 * on under the new token. A sign-in has an end (the server's
 * agent_session_hours after the password login) that no refresh passes:
 * once the token reaches it, the console signs out when it comes.
 */
function planRefresh() {
  clearTimeout(state.refreshTimer);
  const expires = Number(sessionStorage.getItem('lcw_agent_expires'));
  const left = expires - Date.now();
  if (!state.token || !(left > 0)) return;
  const until = Number(sessionStorage.getItem('lcw_agent_until'));
  if (until > 0 && expires >= until) {
    // setTimeout fires at once past 2^31-1 ms; a sign-in that long is signed out by the server's answers.
    if (left < 2 ** 31 - 1) state.refreshTimer = setTimeout(() => logout('Signed out: this sign-in has reached its time limit. Sign in again.'), left);
    return;
  }
  state.refreshTimer = setTimeout(refresh, Math.min(2 ** 31 - 1, Math.max(1000, left / 2)));
}

/**
 * fetch() with the agent token. A 401 for a token that a refresh replaced
 * while the request was under way is tried once more with the new token;
 * any other 401 is the caller's to handle (it signs out).
 */
async function agentFetch(url, opts = {}) {
  const token = state.token;
  const r = await fetch(url, { ...opts, headers: { ...opts.headers, authorization: 'Bearer ' + token } });
  if (r.status === 401 && state.token && state.token !== token) return fetch(url, { ...opts, headers: { ...opts.headers, authorization: 'Bearer ' + state.token } });
  return r;
}

async function refresh() {
  const token = state.token;
  try {
    const r = await fetch('/v1/agent/refresh', { method: 'POST', headers: { authorization: 'Bearer ' + token } });
    if (state.token !== token) return; // signed out or in again meanwhile
    if (r.status === 401) { logout('Signed out: this sign-in has expired. Sign in again.'); return; }
    if (!r.ok) throw new Error('HTTP ' + r.status);
    remember(await r.json());
  } catch (e) {
    // Unreachable for now: try again in 30 s while the token lasts.
    const left = Number(sessionStorage.getItem('lcw_agent_expires')) - Date.now();
    if (state.token === token && left > 30000) state.refreshTimer = setTimeout(refresh, 30000);
  }
}

/** Signs out; `reason` (the server's, when it ended the sign-in) is shown on the sign-in form. */
function logout(reason) {
  clearTimeout(state.refreshTimer);
  sessionStorage.removeItem('lcw_agent_expires');
  sessionStorage.removeItem('lcw_agent_until');
  if (typeof reason === 'string' && reason) sessionStorage.setItem('lcw_agent_signout', reason);
  // The server forgets the token too (it would otherwise stay valid until it expires).
  if (state.token) fetch('/v1/agent/logout', { method: 'POST', keepalive: true, headers: { authorization: 'Bearer ' + state.token } }).catch(() => {});
  sessionStorage.removeItem('lcw_agent_token');
  state.token = null;
  if (state.ws) state.ws.close();
  location.reload();
}

function connect() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(proto + '//' + location.host + '/v1/agent/ws');
  state.ws = ws;
  status('connecting…');
  ws.onopen = () => ws.send(JSON.stringify({ type: 'agent_hello', token: state.token }));
  ws.onmessage = (ev) => { try { onFrame(JSON.parse(ev.data)); } catch (e) { console.error(e); } };
  ws.onclose = () => {
    if (state.ws !== ws || !state.token) return;
    status('disconnected, retrying…');
    const delay = Math.min(10000, 500 * 2 ** state.retry++);
    setTimeout(connect, delay);
  };
  watch(ws);
}

// A connection can die without a close (sleep, a network change, a NAT):
// after 25 s with nothing heard, ping; nothing 10 s after that (or a socket
// that never opened), drop it and connect again. The server closes its end
// after 75 s of silence (docs/PROTOCOL.md, "Liveness").
function watch(ws) {
  let heard = Date.now(), pinged = 0;
  ws.addEventListener('message', () => { heard = Date.now(); pinged = 0; });
  const timer = setInterval(() => {
    if (state.ws !== ws || !state.token) return clearInterval(timer);
    const now = Date.now();
    if (pinged && now - pinged >= 10000) {
      clearInterval(timer);
      status('disconnected, retrying…');
      connect();
      ws.close();
    } else if (!pinged && now - heard >= 25000) {
      pinged = now;
      if (ws.readyState === 1) ws.send(JSON.stringify({ type: 'ping' }));
    }
  }, 5000);
}

function onFrame(f) {
  switch (f.type) {
    case 'agent_welcome':
      state.agent = f.agent; state.retry = 0;
      $('login').hidden = true; $('desk').hidden = false; $('logout').hidden = false;
      $('who').textContent = f.agent.displayName;
      status('online');
      { const seen = new Set(); for (const c of f.conversations) { upsert(c); seen.add(c.conversation.id); }
        for (const id of [...state.convs.keys()]) if (!seen.has(id) && state.convs.get(id).info.state !== 'closed') state.convs.delete(id); }
      for (const c of state.convs.values()) if (mine(c)) fetchHistory(c);
      for (const p of state.pending.values()) state.ws.send(JSON.stringify(p)); // at-least-once; server dedupes
      render();
      refreshOffline(); // offline.js
      loadVideo(); // video.js
      break;
    case 'agent_conversation_updated': {
      const c = upsert(f.conversation);
      if (mine(c) && c.lastSeq === 0) fetchHistory(c);
      render();
      break;
    }
    case 'message': addMessages(f.conversationId, [f.message]); break;
    case 'history': addMessages(f.conversationId, f.messages); break;
    case 'video': case 'rtc': onVideoFrame(f); break; // video.js
    case 'ack': state.pending.delete(f.clientId); renderMessages(); break;
    case 'read': { // read receipts: the visitor's mark our messages "Seen"
      const c = state.convs.get(f.conversationId);
      if (!c) break;
      const key = f.reader === 'visitor' ? 'visitorReadSeq' : 'agentReadSeq';
      c.info[key] = Math.max(c.info[key] || 0, f.seq);
      renderMessages();
      break;
    }
    case 'typing':
      if (f.conversationId === state.selected) { $('typing').textContent = f.isTyping ? 'Visitor is typing…' : ''; }
      break;
    case 'error':
      if (f.code === 'unauthorized') { logout('Signed out: ' + f.message + '. Sign in again.'); return; }
      // Over the conversation's rate limit: the message stays pending and
      // goes again once the server's wait is over (not lost). Refused
      // replies take turns, one per intervalMs (the limit's pace) after
      // the wait, so that they are not all refused again together.
      if (f.clientId && f.code === 'rate_limited' && f.retryAfterMs > 0 && state.pending.has(f.clientId)) {
        const id = f.clientId;
        const at = Math.max(Date.now() + f.retryAfterMs, state.retrySlot || 0);
        state.retrySlot = at + (f.intervalMs > 0 ? f.intervalMs : 0);
        setTimeout(() => { const p = state.pending.get(id); if (p && state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(p)); }, at - Date.now());
        status('sending more slowly: the server asks to wait ' + Math.ceil(f.retryAfterMs / 1000) + ' s');
        break;
      }
      if (f.clientId) state.pending.delete(f.clientId);
      status('error: ' + f.message + (f.code ? ' (' + f.code + ')' : ''));
      renderMessages();
      break;
  }
}

function mine(c) { return state.agent && c.info.agent && c.info.agent.id === state.agent.id; }

function upsert(ac) {
  const id = ac.conversation.id;
  let c = state.convs.get(id);
  if (!c) { c = { messages: new Map(), lastSeq: 0, unread: false }; state.convs.set(id, c); }
  c.info = ac.conversation; c.context = ac.context || {}; c.preChat = ac.preChat || {};
  c.awaySince = ac.visitorAwaySince || null; // no chat socket from the visitor since then
  const visible = c.info.state === 'waiting' || mine(c) || (c.info.state === 'closed' && c.messages.size > 0);
  if (!visible) state.convs.delete(id);
  return c;
}

function fetchHistory(c) {
  if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify({ type: 'fetch', conversationId: c.info.id, afterSeq: c.lastSeq }));
}

function addMessages(id, msgs) {
  const c = state.convs.get(id);
  if (!c) return;
  for (const m of msgs) {
    if (c.messages.has(m.seq)) continue; // exactly-once visible
    c.messages.set(m.seq, m);
    c.lastSeq = Math.max(c.lastSeq, m.seq);
    if (id !== state.selected && m.sender === 'visitor') c.unread = true;
  }
  render();
}

function title(c) {
  const ctx = c.preChat && c.preChat.name ? c.preChat.name : (c.info.customerId || 'Visitor ' + c.info.id.slice(-6));
  return ctx;
}

function render() {
  const waiting = $('waiting'), mineList = $('mine');
  waiting.replaceChildren(); mineList.replaceChildren();
  let nw = 0, nm = 0;
  for (const c of state.convs.values()) {
    const li = line('li', [bidi(title(c))]);
    li.appendChild(el('small', c.info.state + (c.info.positionInQueue ? ' · #' + c.info.positionInQueue : '') + videoBadge(c) + (c.awaySince ? ' · visitor away' : '') + ' · ' + new Date(c.info.createdAt).toLocaleTimeString()));
    if (c.info.id === state.selected) li.classList.add('selected');
    if (c.unread) li.classList.add('unread');
    li.addEventListener('click', () => select(c.info.id));
    if (mine(c)) { mineList.appendChild(li); nm++; } else { waiting.appendChild(li); nw++; }
  }
  $('n-waiting').textContent = '(' + nw + ')'; $('n-mine').textContent = '(' + nm + ')';
  renderPane();
}

function select(id) {
  state.selected = id;
  state.selectedOffline = null;
  $('offline').hidden = true;
  if (typeof renderOffline === 'function') renderOffline();
  const c = state.convs.get(id);
  if (c) { c.unread = false; fetchHistory(c); }
  $('typing').textContent = '';
  render();
}

function renderPane() {
  const c = state.selected && state.convs.get(state.selected);
  $('empty').hidden = !!c || !!state.selectedOffline; $('conv').hidden = !c;
  if (!c) return;
  $('conv-title').replaceChildren(bidi(title(c)));
  $('conv-state').textContent = c.info.state + (c.awaySince ? ' · visitor away since ' + new Date(c.awaySince).toLocaleTimeString() : '');
  $('accept').hidden = !(c.info.state === 'waiting' || (c.info.state === 'assigned' && mine(c)));
  $('end').hidden = !(mine(c) && c.info.state !== 'closed');
  $('composer').hidden = !(mine(c) && c.info.state !== 'closed');
  const body = $('context').tBodies[0];
  body.replaceChildren();
  const rows = [...Object.entries(c.preChat).map(([k, v]) => [k, v]), ...Object.entries(c.context).map(([k, v]) => [k, v.value])];
  for (const [k, v] of rows) { const tr = el('tr'); tr.append(el('td', k), line('td', [bidi(v)])); body.appendChild(tr); }
  renderVideo(c); // video.js
  renderMessages();
}

function renderMessages() {
  const c = state.selected && state.convs.get(state.selected);
  if (!c) return;
  const ol = $('messages');
  const atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
  ol.replaceChildren();
  const sorted = [...c.messages.values()].sort((a, b) => a.seq - b.seq);
  // "Seen" under our newest message the visitor has read.
  const seen = sorted.filter((m) => m.sender === 'agent' && m.seq <= (c.info.visitorReadSeq || 0)).pop();
  for (const m of sorted) {
    const li = line('li', [bidi(m.text)], m.sender);
    if (m.attachment) li.appendChild(attachmentLink(m.attachment));
    li.appendChild(el('small', (m.authorName || m.sender) + ' · ' + new Date(m.sentAt).toLocaleTimeString()));
    if (m === seen) li.appendChild(el('small', 'Seen', 'seen'));
    ol.appendChild(li);
  }
  markRead(c);
  for (const p of state.pending.values()) if (p.conversationId === c.info.id) ol.appendChild(line('li', pendingParts(p), 'agent pending')); // files.js
  if (atBottom) ol.scrollTop = ol.scrollHeight;
}

// Read receipt for the conversation on screen (ours, page shown): the
// visitor's widget marks their messages "Seen". Each seq is said once.
function markRead(c) {
  if (!mine(c) || document.hidden || !state.ws || state.ws.readyState !== 1) return;
  const upto = c.lastSeq;
  if (upto <= (c.info.agentReadSeq || 0) || upto <= (c.readSent || 0)) return;
  c.readSent = upto;
  state.ws.send(JSON.stringify({ type: 'read', conversationId: c.info.id, seq: upto }));
}
document.addEventListener('visibilitychange', () => { if (!document.hidden) renderMessages(); });

function attachmentLink(a) {
  const b = line('button', ['📎 ', bidi(a.name), ' (' + Math.ceil(a.size / 1024) + ' KB)']);
  b.type = 'button';
  b.addEventListener('click', async () => {
    const r = await agentFetch(a.url);
    if (!r.ok) { status('download failed'); return; }
    const url = URL.createObjectURL(await r.blob());
    const link = el('a'); link.href = url; link.download = a.name; link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  return b;
}

function send(ev) {
  ev.preventDefault();
  const text = $('text').value;
  if (!text.trim() || !state.selected) return;
  const frame = { type: 'send', conversationId: state.selected, clientId: newId(), text };
  state.pending.set(frame.clientId, frame);
  if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(frame));
  $('text').value = '';
  renderMessages();
}

let typingTimer = null;
function typing() {
  if (!state.selected || !state.ws || state.ws.readyState !== 1) return;
  if (!typingTimer) state.ws.send(JSON.stringify({ type: 'typing', conversationId: state.selected, isTyping: true }));
  clearTimeout(typingTimer);
  const id = state.selected;
  typingTimer = setTimeout(() => { typingTimer = null; if (state.ws.readyState === 1) state.ws.send(JSON.stringify({ type: 'typing', conversationId: id, isTyping: false })); }, 2000);
}

document.addEventListener('DOMContentLoaded', () => {
  $('login').addEventListener('submit', login);
  $('logout').addEventListener('click', () => logout());
  const why = sessionStorage.getItem('lcw_agent_signout');
  sessionStorage.removeItem('lcw_agent_signout');
  if (why && !state.token) $('login-error').textContent = why;
  $('composer').addEventListener('submit', send);
  $('text').addEventListener('input', typing);
  $('text').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('composer').requestSubmit(); } });
  $('accept').addEventListener('click', () => state.ws.send(JSON.stringify({ type: 'accept', conversationId: state.selected })));
  $('end').addEventListener('click', () => { if (confirm('End this conversation?')) state.ws.send(JSON.stringify({ type: 'close', conversationId: state.selected })); });
  if (state.token) { connect(); planRefresh(); }
});
