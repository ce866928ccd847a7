// Agent console: offline messages (forms visitors left while no agent was
// available). Listed newest first under the conversations, refreshed every
// 30 s and when the window regains focus; an agent marks them handled.
// Shares `state`, `$`, `el`, `status` and `renderPane` with console.js.
'use strict';

const offline = { items: [], timer: null, busy: false };

async function offlineFetch(path, method) {
  const r = await agentFetch(path, { method: method || 'GET' });
  const body = await r.json().catch(() => null);
  if (r.status === 401) { logout(); return null; }
  if (!r.ok) { status('offline messages: ' + ((body && body.message) || r.status)); return null; }
  return body;
}

async function refreshOffline() {
  if (!state.token || offline.busy) return;
  offline.busy = true;
  try {
    const list = await offlineFetch('/v1/agent/offline-messages');
    if (list) { offline.items = list; renderOffline(); }
  } catch (e) { status('offline messages: server unreachable'); }
  finally { offline.busy = false; }
  clearTimeout(offline.timer);
  offline.timer = setTimeout(refreshOffline, 30000);
}

function renderOffline() {
  const ul = $('offline-list');
  ul.replaceChildren();
  let open = 0;
  for (const m of offline.items) {
    if (!m.handledAt) open++;
    const li = line('li', [bidi(m.name || m.email || 'Visitor')]);
    li.appendChild(el('small', (m.handledAt ? 'handled · ' : 'new · ') + new Date(m.at).toLocaleString()));
    if (!m.handledAt) li.classList.add('unread');
    if (m.id === state.selectedOffline) li.classList.add('selected');
    li.tabIndex = 0;
    li.addEventListener('click', () => selectOffline(m.id));
    li.addEventListener('keydown', (e) => { if (e.key === 'Enter') selectOffline(m.id); });
    ul.appendChild(li);
  }
  $('n-offline').textContent = '(' + open + ' new)';
  renderOfflinePane();
}

function selectOffline(id) {
  state.selectedOffline = id;
  state.selected = null;
  render(); // conversations: none selected
  renderOffline();
}

function renderOfflinePane() {
  const m = state.selectedOffline && offline.items.find((x) => x.id === state.selectedOffline);
  $('offline').hidden = !m;
  if (!m) return;
  $('empty').hidden = true; $('conv').hidden = true;
  $('offline-name').replaceChildren(bidi(m.name || 'Visitor'), ...(m.email ? [' <', bidi(m.email), '>'] : []));
  $('offline-when').textContent = new Date(m.at).toLocaleString();
  const reply = $('offline-reply');
  reply.hidden = !m.email;
  reply.href = m.email ? 'mailto:' + encodeURIComponent(m.email) : '';
  const body = $('offline-fields').tBodies[0];
  body.replaceChildren();
  for (const [k, v] of Object.entries(m.fields || {})) { const tr = el('tr'); tr.append(el('td', k), line('td', [bidi(v)])); body.appendChild(tr); }
  $('offline-text').textContent = m.message;
  $('offline-done').hidden = !!m.handledAt;
  $('offline-state').textContent = m.handledAt ? 'Handled by ' + m.handledBy + ' · ' + new Date(m.handledAt).toLocaleString() : '';
}

async function markHandled() {
  const id = state.selectedOffline;
  if (!id) return;
  const updated = await offlineFetch('/v1/agent/offline-messages/' + encodeURIComponent(id) + '/handled', 'POST');
  if (!updated) return;
  offline.items = offline.items.map((m) => (m.id === updated.id ? updated : m));
  renderOffline();
}

document.addEventListener('DOMContentLoaded', () => {
  $('offline-done').addEventListener('click', markHandled);
  window.addEventListener('focus', refreshOffline);
});
