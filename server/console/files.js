// Agent console: files to the visitor. The agent picks a file in the
// composer; it is uploaded with the agent token (the server applies the
// widget's type and size rules), then sent as a message with its
// attachmentId and the composer's text as caption. Progress and refusals
// (the server's typed error, naming what is allowed) show as text.
// Shares `state`, `$`, `el`, `newId` and `renderMessages` with console.js.
'use strict';

const files = { names: new Map(), busy: false };

function fileState(text, isError) {
  const p = $('upload-state');
  p.textContent = text;
  p.classList.toggle('error', !!isError);
}

// The parts of a pending send's line: its caption and the file it
// carries (a name, isolated like a visitor's text).
function pendingParts(p) {
  const name = files.names.get(p.clientId);
  return name ? [(p.text ? p.text + ' ' : '') + '📎 ', bidi(name)] : [p.text];
}

// POSTs the file as the raw body; resolves to { status, body }.
function uploadFile(convId, file, onProgress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/agent/conversations/' + encodeURIComponent(convId) + '/attachments?name=' + encodeURIComponent(file.name));
    xhr.setRequestHeader('authorization', 'Bearer ' + state.token);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total); };
    const done = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      resolve({ status: xhr.status, body });
    };
    xhr.onload = done; xhr.onerror = done; xhr.onabort = done;
    xhr.send(file);
  });
}

async function sendFile(file) {
  const convId = state.selected;
  if (!file || !convId || files.busy) return;
  files.busy = true;
  $('attach').disabled = true;
  fileState('Uploading ' + file.name + '… 0%');
  try {
    const used = state.token;
    const progress = (f) => fileState('Uploading ' + file.name + '… ' + Math.round(f * 100) + '%');
    let r = await uploadFile(convId, file, progress);
    // Refused for a token that a refresh replaced meanwhile: once more with the new one.
    if (r.status === 401 && state.token && state.token !== used) r = await uploadFile(convId, file, progress);
    if (r.status === 401) { logout(); return; }
    if (r.status < 200 || r.status >= 300) {
      const why = r.status === 0 ? 'server unreachable' : ((r.body && r.body.message) || 'HTTP ' + r.status) + (r.body && r.body.code ? ' (' + r.body.code + ')' : '');
      fileState(file.name + ' was not sent: ' + why, true);
      return;
    }
    const frame = { type: 'send', conversationId: convId, clientId: newId(), text: $('text').value.trim(), attachmentId: r.body.id };
    files.names.set(frame.clientId, r.body.name);
    state.pending.set(frame.clientId, frame);
    if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(frame));
    $('text').value = '';
    fileState('Sent ' + r.body.name);
    renderMessages();
  } finally {
    files.busy = false;
    $('attach').disabled = false;
    $('file').value = '';
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('attach').addEventListener('click', () => $('file').click());
  $('file').addEventListener('change', () => sendFile($('file').files[0]));
});
